"""The review record (headless, never imports Qt): shoots, pairs, annotations, decisions.
