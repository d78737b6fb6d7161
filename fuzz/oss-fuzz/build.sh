#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for eidtrust's cargo-fuzz targets (fuzz/). The
# base-builder-rust image provides a nightly toolchain, cargo-fuzz and the sanitizer flags
# ($SANITIZER, $CARGO_BUILD_TARGET); the same harnesses as `cargo fuzz build` locally.
cd "$SRC/eidtrust"

cargo fuzz build -O

out_dir=fuzz/target/x86_64-unknown-linux-gnu/release
for src in fuzz/fuzz_targets/*.rs; do
  name=$(basename "${src%.rs}")
  cp "$out_dir/$name" "$OUT/"
  # Seed corpus: the committed regression and hostile inputs. (The seeds drawn from test vectors
  # by scripts/fuzz-seeds need ../shared, which the builder does not have.)
  if [ -d "fuzz/regressions/$name" ]; then
    (cd "fuzz/regressions/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi
  # Same limits as scripts/fuzz-smoke: larger inputs for chains and trusted lists.
  case "$name" in
    chain | tl_parse | tl_verify) max_len=65536 ;;
    lint | cert | crl | pem | ocsp | sdjwt | jws) max_len=16384 ;;
    *) max_len=4096 ;;
  esac
  printf '[libfuzzer]\nmax_len = %s\nmalloc_limit_mb = 64\ntimeout = 1\n' "$max_len" >"$OUT/$name.options"
done
