#!/usr/bin/env python3
"""Runs the ONNX checker on exported graphs: python3 scripts/check_onnx.py FILE.onnx...

full_check=True adds strict shape inference to the structural checks (operator schemas of the
declared opset, types, topological order, names in scope). Needs Debian's python3-onnx.
Prints "ok FILE" per valid file; exits 1 at the first invalid one, with the checker's message.
"""
import sys

import onnx

for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as error:
        print(f"invalid {path}: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"ok {path}")
