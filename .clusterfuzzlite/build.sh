#!/bin/bash -eu
# ClusterFuzzLite build: the same script as OSS-Fuzz (fuzz/oss-fuzz/build.sh), one copy to maintain.
exec bash -eu "$SRC/eidtrust/fuzz/oss-fuzz/build.sh"
