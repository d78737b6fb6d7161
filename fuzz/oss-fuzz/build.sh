#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for eidtrust's cargo-fuzz targets (fuzz/). The
# base-builder-rust image provides a nightly toolchain, cargo-fuzz, and the environment: $SRC (the
# checkout is $SRC/eidtrust), $OUT (binaries, seed corpora and options go there), $WORK (scratch),
# $SANITIZER and RUSTFLAGS ("--cfg fuzzing -Zsanitizer=address -Cdebuginfo=1 -Cforce-frame-pointers").
# The same harnesses as `cargo fuzz build -O` locally; tested offline as docs/fuzzing.md says.
#
# Writes, per target: $OUT/<target> (libFuzzer binary), $OUT/<target>_seed_corpus.zip (the seeds
# scripts/fuzz-seeds draws from test-vectors/ and the committed fuzz/regressions/<target>/; the
# builder has no ../shared), $OUT/<target>.options (the limits of scripts/fuzz-smoke).
cd "$SRC/eidtrust"

# A caller's CARGO_TARGET_DIR is honoured (cargo-fuzz passes it to cargo), so that a local
# simulation does not rebuild the checkout's own fuzz/target with other flags.
target_dir=${CARGO_TARGET_DIR:-$SRC/eidtrust/fuzz/target}
(cd fuzz && cargo fuzz build -O)
bin_dir="$target_dir/x86_64-unknown-linux-gnu/release"

# Seeds into $WORK, not into the checkout.
corpus="$WORK/eidtrust-corpus"
rm -rf "$corpus"
if command -v python3 >/dev/null 2>&1; then
  FUZZ_CORPUS_DIR="$corpus" python3 scripts/fuzz-seeds
else
  echo "build.sh: no python3; seed corpora from fuzz/regressions only" >&2
  for d in fuzz/regressions/*/; do
    mkdir -p "$corpus/$(basename "$d")"
    cp "$d"* "$corpus/$(basename "$d")/" 2>/dev/null || true
  done
fi

targets=0
for src in fuzz/fuzz_targets/*.rs; do
  name=$(basename "${src%.rs}")
  cp "$bin_dir/$name" "$OUT/"
  mkdir -p "$corpus/$name"
  rm -f "$OUT/${name}_seed_corpus.zip"
  if [ -n "$(ls -A "$corpus/$name")" ]; then
    (cd "$corpus/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi
  # The limits of scripts/fuzz-smoke and scripts/fuzz-long (keep the three in step): larger
  # inputs for chains and trusted lists; any single allocation over 64 MB fails; 1 s per input
  # (libFuzzer's resolution; the harness itself checks 100 ms, eidtrust::fuzzcheck).
  case "$name" in
    chain | tl_parse | tl_verify) max_len=65536 ;;
    lint | cert | crl | pem | ocsp | sdjwt | jws) max_len=16384 ;;
    *) max_len=4096 ;;
  esac
  printf '[libfuzzer]\nmax_len = %s\nmalloc_limit_mb = 64\ntimeout = 1\n' "$max_len" >"$OUT/$name.options"
  targets=$((targets + 1))
done
echo "build.sh: $targets targets in $OUT"
