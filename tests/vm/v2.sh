#!/bin/bash
# The system tests in a pure cgroup2 guest (see tests/vm/README).
exec bash "$(dirname "$0")/run.sh" v2
