# The libFuzzer harnesses, built with clang into their own directory: the
# normal build (gcc or any CC) never needs clang. `make fuzz` in the
# configured tree runs this with the variables below filled from Makefile.am
# (see tests/fuzz/README). GNU make.
#
# srcdir: the source tree (absolute); top_builddir: where config.h is;
# out: the build directory; FUZZERS: the harnesses' names (fuzz_NAME.c);
# LIB_SOURCES: libnstop's .c files (relative to srcdir); LIB_CFLAGS,
# LIB_LIBS: its libraries' flags from configure; UI_SOURCES, UI_CFLAGS:
# the TUI's files but ui-launch.c (which fuzz_launch.c includes), and curses'
# headers (not its library: ui-curses.c loads it with dlopen, and a program
# that also linked it would have two copies of curses' variables); LIB_GEN:
# libnstop's generated .c files, in the build tree (absolute: the reaper's
# image, src/reaper/reaper-blob.c, and the seccomp filter,
# src/rt/rt-seccomp-filter.c).

FUZZ_CC = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -std=gnu11 -Wall -Wextra \
	-Wno-unused-parameter -Wno-unused-command-line-argument $(FUZZ_SAN) \
	-Werror=incompatible-pointer-types -Werror=int-conversion \
	-Werror=implicit-function-declaration
FUZZ_CPPFLAGS = -DHAVE_CONFIG_H -I$(top_builddir) -I$(srcdir)/include \
	-I$(srcdir)/src/rt -I$(srcdir)/src/cli \
	-DNSTOP_THEMEDIR='"$(srcdir)/themes"' -DNSTOP_SRC_THEMEDIR='"$(srcdir)/themes"'

LIB_OBJS = $(patsubst %.c,$(out)/obj/%.o,$(LIB_SOURCES))
GEN_OBJS = $(patsubst $(top_builddir)/%.c,$(out)/obj/gen/%.o,$(LIB_GEN))
UI_OBJS = $(patsubst %.c,$(out)/obj/%.o,$(UI_SOURCES))
# fuzz_cli also takes the command line's own parsers, outside libnstop.
CLI_OBJS = $(out)/obj/src/cli/cli-common.o

all: $(patsubst %,$(out)/fuzz_%,$(FUZZERS))

# libnstop with coverage for the fuzzer (no libFuzzer main: the harness's).
$(out)/obj/%.o: $(srcdir)/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		$(LIB_CFLAGS) $(UI_CFLAGS) -MMD -MP -c -o $@ $<

# the generated files are data: no coverage to gain from them
$(out)/obj/gen/%.o: $(top_builddir)/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(out)/libnstop-fuzz.a: $(LIB_OBJS) $(GEN_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS) $(GEN_OBJS)

$(out)/libnstop-ui-fuzz.a: $(UI_OBJS)
	rm -f $@
	ar rcs $@ $(UI_OBJS)

$(out)/fuzz_cli: $(CLI_OBJS)
$(out)/fuzz_cli: EXTRA_OBJS = $(CLI_OBJS)
$(out)/fuzz_launch: $(out)/libnstop-ui-fuzz.a $(CLI_OBJS)
$(out)/fuzz_launch: EXTRA_OBJS = $(out)/libnstop-ui-fuzz.a $(CLI_OBJS)

$(out)/fuzz_%: $(srcdir)/tests/fuzz/fuzz_%.c $(srcdir)/tests/fuzz/fuzz.h \
		$(out)/libnstop-fuzz.a
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(LIB_CFLAGS) \
		$(UI_CFLAGS) -o $@ $< $(EXTRA_OBJS) $(out)/libnstop-fuzz.a $(LIB_LIBS) \
		$(EXTRA_LIBS)

-include $(LIB_OBJS:.o=.d) $(UI_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

.PHONY: all
