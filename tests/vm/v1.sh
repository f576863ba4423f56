#!/bin/bash
# The system tests in a pure cgroup v1 guest (see tests/vm/README).
exec bash "$(dirname "$0")/run.sh" v1
