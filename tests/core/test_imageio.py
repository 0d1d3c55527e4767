"""Loading real files: formats, orientation, colour profiles, modes, and every kind of bad file."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import cv2
import numpy as np
import pytest
import tifffile
from PIL import Image, ImageCms

from tests.core.photos import astronaut, hopper, save
from twinproof.core import errors
from twinproof.core.imageio import load_image


@pytest.mark.parametrize(("fmt", "params", "tol"), [
    ("png", {}, 0), ("jpg", {"quality": 95}, 3), ("tif", {}, 0),
    ("webp", {"lossless": True}, 0), ("webp", {"quality": 90}, 4),
])
def test_formats_load_as_srgb_rgb(tmp_path, fmt, params, tol):
    src = astronaut()
    img = load_image(save(src, tmp_path / f"a.{fmt}", **params))
    assert img.pixels.shape == src.shape and img.pixels.dtype == np.uint8
    assert np.abs(img.pixels.astype(int) - src).mean() <= tol
    assert img.rgb.dtype == np.float32 and img.rgb.min() >= 0 and img.rgb.max() <= 1


def test_16bit_rgb_tiff_keeps_every_bit(tmp_path):
    src = (astronaut().astype(np.uint16) * 257) + np.arange(3, dtype=np.uint16)  # low bits set
    path = tmp_path / "a16.tif"
    tifffile.imwrite(path, src, photometric="rgb")
    img = load_image(path)
    assert img.bit_depth == 16 and img.pixels.dtype == np.uint16
    np.testing.assert_array_equal(img.pixels, src)
    assert any("16 bits" in h for h in img.handling)


def test_16bit_grayscale_png(tmp_path):
    gray = (np.linspace(0, 65535, 256 * 64).reshape(64, 256)).astype(np.uint16)
    path = tmp_path / "g16.png"
    Image.fromarray(gray).save(path)
    img = load_image(path)
    assert img.pixels.dtype == np.uint16
    np.testing.assert_array_equal(img.pixels[..., 1], gray)


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_applied(tmp_path, orientation):
    src = hopper()  # 512 wide, 600 tall
    stored = {3: np.rot90(src, 2), 6: np.rot90(src, 1), 8: np.rot90(src, -1)}[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "o.jpg"
    Image.fromarray(np.ascontiguousarray(stored)).save(path, quality=95, exif=exif)
    img = load_image(path)
    assert (img.width, img.height) == (512, 600)
    assert np.abs(img.pixels.astype(int) - src).mean() < 3
    assert any("orientation" in h for h in img.handling)


def _adobe_rgb_profile() -> bytes:
    """A minimal ICC v2 matrix/TRC profile with Adobe RGB (1998) primaries, gamma 563/256."""
    def xyz(x, y, z):
        return b"XYZ " + b"\0" * 4 + b"".join(struct.pack(">i", round(v * 65536)) for v in (x, y, z))

    curv = b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", 563) + b"\0\0"
    desc_text = b"Test AdobeRGB-like\0"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(desc_text)) + desc_text
            + b"\0" * 4 + b"\0" * 4 + b"\0" * 2 + b"\0" + b"\0" * 67)
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.6097, 0.3111, 0.0195)), (b"gXYZ", xyz(0.2053, 0.6257, 0.0609)),
            (b"bXYZ", xyz(0.1492, 0.0632, 0.7446)), (b"rTRC", curv), (b"gTRC", curv), (b"bTRC", curv)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, payload in tags:
        while (offset + len(body)) % 4:
            body += b"\0"
        table += sig + struct.pack(">II", offset + len(body), len(payload))
        body += payload
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
              + struct.pack(">iii", 63190, 65536, 54061) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def test_embedded_icc_profile_is_converted_to_srgb(tmp_path):
    src = astronaut()
    adobe = ImageCms.ImageCmsProfile(io.BytesIO(_adobe_rgb_profile()))
    srgb = ImageCms.createProfile("sRGB")
    encoded = ImageCms.profileToProfile(Image.fromarray(src), srgb, adobe, outputMode="RGB")
    path = tmp_path / "adobe.png"
    encoded.save(path, icc_profile=_adobe_rgb_profile())
    raw_error = np.abs(np.asarray(encoded).astype(int) - src).mean()
    img = load_image(path)
    assert np.abs(img.pixels.astype(int) - src).mean() < raw_error / 4
    assert any("ICC profile" in h and "sRGB" in h for h in img.handling)


def test_corrupt_icc_profile_is_reported_not_fatal(tmp_path):
    path = save(astronaut(), tmp_path / "bad_icc.png", icc_profile=b"not a profile at all" * 10)
    img = load_image(path)
    assert any("unreadable" in h for h in img.handling)


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "LA", "CMYK", "1"])
def test_colour_modes_become_rgb(tmp_path, mode):
    im = Image.fromarray(astronaut()).convert(mode)
    ext = "jpg" if mode == "CMYK" else "png"
    path = tmp_path / f"m.{ext}"
    im.save(path)
    img = load_image(path)
    assert img.pixels.shape == (512, 512, 3) and img.source_mode == mode
    assert img.handling  # what was done is always said


def test_alpha_is_composited_over_white(tmp_path):
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, :4, 3] = 255  # left half opaque red, right half transparent
    img = load_image(save(rgba, tmp_path / "alpha.png"))
    assert tuple(img.pixels[0, 0]) == (255, 0, 0)
    assert tuple(img.pixels[0, 7]) == (255, 255, 255)


def test_animated_gif_uses_first_frame(tmp_path):
    frames = [Image.fromarray(np.full((16, 16, 3), v, np.uint8)) for v in (10, 200)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    img = load_image(path)
    assert img.frames == 2 and img.pixels.mean() < 50


def test_missing_file(tmp_path):
    with pytest.raises(errors.ImageNotFoundError, match="file not found"):
        load_image(tmp_path / "nope.jpg")


def test_empty_file(tmp_path):
    (tmp_path / "e.jpg").write_bytes(b"")
    with pytest.raises(errors.NotAnImageError, match="empty"):
        load_image(tmp_path / "e.jpg")


def test_not_an_image(tmp_path):
    (tmp_path / "t.jpg").write_text("hello, I am a text file pretending to be a photograph\n")
    with pytest.raises(errors.NotAnImageError):
        load_image(tmp_path / "t.jpg")


@pytest.mark.parametrize("ext", ["jpg", "png", "tif"])
def test_truncated_files(tmp_path, ext):
    path = save(astronaut(), tmp_path / f"full.{ext}")
    cut = tmp_path / f"cut.{ext}"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(errors.ImageTruncatedError, match="truncated"):
        load_image(cut)


def test_decompression_bomb_refused_before_decoding(tmp_path):
    # A valid PNG header declaring 30000 x 30000 (900 MP) with almost no data behind it.
    path = tmp_path / "bomb.png"
    Image.new("1", (30000, 30000)).save(path)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(errors.ImageTooLargeError, match="900 MP; the limit is 150 MP"):
        load_image(path)


def test_pixel_limit_is_configurable(tmp_path):
    path = save(astronaut(), tmp_path / "a.png")
    with pytest.raises(errors.ImageTooLargeError):
        load_image(path, max_pixels=100_000)
    assert load_image(path, max_pixels=300_000).width == 512


def test_folder_and_symlink_loop(tmp_path):
    with pytest.raises(errors.ImageUnreadableError, match="folder"):
        load_image(tmp_path)
    loop = tmp_path / "loop.jpg"
    loop.symlink_to(loop)
    with pytest.raises(errors.ImageLoadError):
        load_image(loop)


def test_non_ascii_path_with_spaces(tmp_path):
    folder = tmp_path / "séance photo 東京"
    folder.mkdir()
    assert load_image(save(astronaut(), folder / "look 01 – réel.jpg")).width == 512


def test_16bit_rgb_png_keeps_every_bit(tmp_path):
    """Pillow opens a 48-bit PNG as 8-bit RGB; the low byte must survive (OpenCV decodes it)."""
    src = (astronaut().astype(np.uint16) * 257) + np.arange(3, dtype=np.uint16)
    path = tmp_path / "a16.png"
    assert cv2.imwrite(str(path), np.ascontiguousarray(src[:, :, ::-1]))
    img = load_image(path)
    assert img.bit_depth == 16 and img.pixels.dtype == np.uint16
    np.testing.assert_array_equal(img.pixels, src)


def test_16bit_rgba_png_is_composited_over_white_in_16_bits(tmp_path):
    rgba = np.zeros((8, 8, 4), np.uint16)
    rgba[..., 0] = 40000
    rgba[:, :4, 3] = 65535
    rgba[:, 4:, 3] = 32768  # right half: half transparent over white
    path = tmp_path / "a16a.png"
    assert cv2.imwrite(str(path), rgba[:, :, [2, 1, 0, 3]])
    img = load_image(path)
    assert img.pixels.dtype == np.uint16
    assert tuple(img.pixels[0, 0]) == (40000, 0, 0)
    expected_red = round(40000 * 32768 / 65535 + 65535 * (1 - 32768 / 65535))
    assert abs(int(img.pixels[0, 7, 0]) - expected_red) <= 1
    assert any("alpha" in h for h in img.handling)


def test_16bit_cmyk_tiff_is_converted_as_cmyk_not_read_as_rgba(tmp_path):
    """Pure cyan, magenta, yellow and black inks in a 16-bit separated TIFF keep their hues."""
    inks = np.zeros((4, 4, 4), np.uint16)
    for i in range(4):
        inks[i, :, i] = 65535
    path = tmp_path / "cmyk16.tif"
    tifffile.imwrite(path, inks, photometric="separated")
    img = load_image(path)
    cyan, magenta, yellow, black = (img.pixels[i, 0].astype(int) for i in range(4))
    assert cyan[0] < 60 and cyan[1] > 200 and cyan[2] > 200
    assert magenta[1] < 60 and magenta[0] > 200 and magenta[2] > 200
    assert yellow[2] < 60 and yellow[0] > 200 and yellow[1] > 200
    assert black.max() < 60
    assert any("CMYK" in h for h in img.handling)


def test_untagged_image_says_srgb_was_assumed(tmp_path):
    img = load_image(save(astronaut(), tmp_path / "plain.png"))
    assert "no ICC profile: sRGB assumed" in img.handling


def test_pixel_limit_from_the_environment_applies_to_every_caller(tmp_path, monkeypatch):
    path = save(astronaut(), tmp_path / "a.png")  # 0.26 MP
    monkeypatch.setenv("TWINPROOF_MAX_MEGAPIXELS", "0.1")
    with pytest.raises(errors.ImageTooLargeError, match="TWINPROOF_MAX_MEGAPIXELS"):
        load_image(path)
    monkeypatch.setenv("TWINPROOF_MAX_MEGAPIXELS", "not a number")  # ignored: 150 MP holds
    assert load_image(path).width == 512
    monkeypatch.setenv("TWINPROOF_MAX_MEGAPIXELS", "0")  # never switches the check off
    bomb = tmp_path / "bomb.png"
    Image.new("1", (30000, 30000)).save(bomb)
    with pytest.raises(errors.ImageTooLargeError):
        load_image(bomb, max_pixels=0)


def test_untagged_16bit_files_say_srgb_was_assumed(tmp_path):
    deep = astronaut().astype(np.uint16) * 257
    tif = tmp_path / "a16.tif"
    tifffile.imwrite(tif, deep, photometric="rgb")
    png = tmp_path / "a16.png"
    assert cv2.imwrite(str(png), np.ascontiguousarray(deep[:, :, ::-1]))
    for path in (tif, png):
        assert "no ICC profile: sRGB assumed" in load_image(path).handling


# --- Files as people have them: phones (HEIC), camera bodies (10-bit HEIF), studio masters ---
PHONE = Path(__file__).resolve().parents[1] / "data" / "phone"


def _mutants_script():
    from tests.reliability.conftest import load_mutants_module

    return load_mutants_module()


def _mean_chroma(rgb8: np.ndarray) -> float:
    from skimage.color import rgb2lab

    lab = rgb2lab(rgb8[::8, ::8].astype(np.float64) / 255.0)
    return float(np.hypot(lab[..., 1], lab[..., 2]).mean())


def test_iphone_heic_is_read_and_its_display_p3_converted_to_srgb():
    """A real iPhone 13 Pro HEIC: 12 MP, Display P3. The same encoded numbers mean more
    saturated colours in P3 than in sRGB, so the conversion must raise their sRGB chroma; and
    it must equal LittleCMS applied to libheif's raw pixels (an independent path)."""
    import pi_heif

    img = load_image(PHONE / "iphone13pro_pug.heic")
    assert (img.width, img.height, img.format, img.bit_depth) == (4032, 3024, "HEIF", 8)
    assert "converted from ICC profile 'Display P3' to sRGB" in img.handling
    heif = pi_heif.open_heif(str(PHONE / "iphone13pro_pug.heic"))
    raw = np.asarray(heif[heif.primary_index].to_pillow().convert("RGB"))
    p3 = ImageCms.ImageCmsProfile(io.BytesIO(heif.info["icc_profile"]))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    lcms = np.asarray(ImageCms.profileToProfile(Image.fromarray(raw), p3, srgb, outputMode="RGB",
                                                renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC))
    assert np.array_equal(img.pixels, lcms)
    assert _mean_chroma(img.pixels) > _mean_chroma(raw) * 1.03


def test_android_heic_without_a_profile_is_taken_as_srgb():
    img = load_image(PHONE / "xiaomi_m2012k11ag.heic")
    assert (img.width, img.height, img.bit_depth) == (2592, 1944, 8)
    assert img.handling == ["HEIF, 8 bits per channel as coded", "no ICC profile: sRGB assumed"]


def test_ten_bit_camera_heif_keeps_its_bits_and_white_is_white():
    """A Sony body's 10-bit HEIF: 1,024 levels kept (not cut to 256), and 1023 maps to 65535
    (libheif's left shift gave 65472)."""
    img = load_image(PHONE / "sony_ilce7sm3_10bit.hif")
    assert img.bit_depth == 16 and img.pixels.dtype == np.uint16
    levels = np.unique(img.pixels[..., 1])
    assert 256 < len(levels) <= 1024
    assert img.pixels.max() == 65535
    assert "nclx colour: BT.709 primaries, sRGB transfer: taken as sRGB" in img.handling


@pytest.mark.slow  # ~20 s: a 12 MP master written and read in 16-bit floating point
def test_sixteen_bit_lzw_adobe_rgb_master_round_trips_every_bit(tmp_path):
    """A studio master (16-bit Adobe RGB, LZW + predictor, profile embedded) made from the
    camera's real 10-bit pixels reads back to those sRGB pixels within one 16-bit level: LZW
    decoded (it was refused: 'requires the imagecodecs package'), profile applied in floating
    point, nothing cut to 8 bits."""
    master = tmp_path / "master.tif"
    src = _mutants_script().studio_master(master)
    with tifffile.TiffFile(master) as tif:
        assert tif.pages.first.compression == 5 and tif.pages.first.predictor == 2
    img = load_image(master)
    assert img.bit_depth == 16 and (img.width, img.height) == (4240, 2832)
    assert "converted from ICC profile 'Adobe RGB (1998) compatible' to sRGB in floating point" in img.handling
    assert np.abs(img.pixels.astype(np.int32) - src).max() <= 1


@pytest.mark.parametrize(("name", "what"), [
    ("look.jpg", b"%!PS-Adobe-3.0\n{} loop\n"), ("look.png", b"DDS " + b"\0" * 124),
    ("look.tif", b"icns\0\0\0\x08"), ("look.webp", b"%PDF-1.7\n"), ("look.heic", b"BM" + b"\0" * 60),
])
def test_formats_not_read_are_refused_by_content_whatever_the_name(tmp_path, name, what):
    path = tmp_path / name
    path.write_bytes(what)
    with pytest.raises(errors.NotAnImageError, match="JPEG, PNG, TIFF, WebP, GIF, HEIC/HEIF, AVIF"):
        load_image(path)


def test_pillow_bomb_guard_is_not_switched_off_for_the_process(tmp_path):
    """``Image.MAX_IMAGE_PIXELS = None`` used to disarm Pillow's check for every other user in
    the process; loading with the default limit must leave it armed."""
    load_image(save(astronaut(), tmp_path / "a.png"))
    assert Image.MAX_IMAGE_PIXELS is not None
