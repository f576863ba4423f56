/*
 * The launch form (r) and the limits dialog (u), both on ui-form.c. They
 * check every value with the runtime's own parsers, the ones `nstop run`
 * and `nstop update` use, so a refused value reads the same in both.
 *
 * A launch in "shell" mode starts an idle container (rt_run with no
 * payload, detached) and hands the terminal to a shell inside it
 * (rt_exec_env): when the shell exits the container is still there, to be
 * frozen, re-limited, entered again or removed from the Containers view.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nstop/image.h"
#include "nstop/net.h"
#include "nstop/runtime.h"
#include "nstop/size.h"
#include "ui-form.h"
#include "ui-impl.h"

#define LAUNCH_MAX_WORDS 64

enum { LF_COMMAND, LF_NAME, LF_ROOT, LF_OVERLAY, LF_VOLUMES, LF_MEMORY, LF_CPUS,
       LF_WEIGHT, LF_PIDS, LF_NET, LF_NAT, LF_MODE, LF_N };

enum { MODE_SHELL, MODE_FOREGROUND, MODE_DETACHED };

static const char *const mode_choices[] = { "shell", "foreground", "detached", NULL };

static const struct ui_field launch_fields[LF_N] = {
	[LF_COMMAND] = { .label = "Command", .kind = UI_FIELD_TEXT, .text = "sh",
		.help = "What runs: words as a shell splits them ('...' and \"...\" group), nothing expanded; shell mode: empty is /bin/sh" },
	[LF_NAME] = { .label = "Name", .kind = UI_FIELD_TEXT,
		.help = "The container's name (letters, digits, _ . -); empty: one is made up" },
	[LF_ROOT] = { .label = "Root", .kind = UI_FIELD_TEXT, .text = "host",
		.help = "host: the host's / read-only, with fresh /proc, /dev, /tmp; a directory; A:B:C layers (A on top); or image:PATH (an OCI layout or docker save tar)" },
	[LF_OVERLAY] = { .label = "Overlay", .kind = UI_FIELD_YESNO,
		.help = "yes: a writable layer over the Root directory, which stays untouched" },
	[LF_VOLUMES] = { .label = "Volumes", .kind = UI_FIELD_TEXT,
		.help = "Space-separated, each as run -v: /DST (anonymous, removed with it), NAME:/DST (kept), /SRC:/DST (host path); :ro for read-only" },
	[LF_MEMORY] = { .label = "Memory", .kind = UI_FIELD_TEXT,
		.help = "Memory limit: 64M, 1.5G, 4096 (bytes); empty: no limit" },
	[LF_CPUS] = { .label = "CPUs", .kind = UI_FIELD_TEXT,
		.help = "CPU limit in cpus: 0.5, 2; empty: no limit" },
	[LF_WEIGHT] = { .label = "CPU weight", .kind = UI_FIELD_TEXT,
		.help = "Relative cpu weight 1..10000 (100 is the default share); empty: the default" },
	[LF_PIDS] = { .label = "Pids", .kind = UI_FIELD_TEXT,
		.help = "The most processes it may have; empty: no limit" },
	[LF_NET] = { .label = "Network", .kind = UI_FIELD_TEXT, .text = "none",
		.help = "none: a loopback; host; bridge[:NAME]: eth0 on a bridge (nstop0); netns:NAME (ip netns); container:NAME" },
	[LF_NAT] = { .label = "NAT", .kind = UI_FIELD_YESNO,
		.help = "yes (run --nat): with a bridge as Network, masquerading for its subnet, so the container reaches what the host reaches" },
	[LF_MODE] = { .label = "Mode", .kind = UI_FIELD_CHOICE, .choices = mode_choices,
		.help = "shell: idle, Command takes the terminal now, it stays after; foreground: Command is it; detached: background" },
};

struct launch_form {
	struct ui_form form;
	struct ui_field fields[LF_N];
	struct rt_ctx *rt;		/* the TUI's, for the checks */
};

/* What was typed the last time, for the next form. */
struct ui_launch_state {
	struct ui_field fields[LF_N];
};

/* ---- checks shared by the form and the launch --------------------------- */

/* s without leading and trailing blanks, into buf. */
static const char *trim(const char *s, char *buf, size_t size)
{
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	snprintf(buf, size, "%.*s", (int)n, s);
	return buf;
}

/* Splits buf in place at blanks into v (NULL-terminated, at most max - 1
 * words); returns the count, or -1 when there are more. */
static int split_words(char *buf, char **v, int max)
{
	int n = 0;

	for (char *p = strtok(buf, " \t"); p; p = strtok(NULL, " \t")) {
		if (n + 1 >= max)
			return -1;
		v[n++] = p;
	}
	v[n] = NULL;
	return n;
}

/*
 * A command line into words, in place, as a shell splits one without
 * expanding anything: blanks separate, '...' and "..." group (a backslash
 * escapes " and \\ inside "..." and anything outside quotes). Returns the
 * count (v NULL-terminated, at most max - 1 words), -1 when there are more,
 * -2 when a quote is not closed.
 */
static int split_command(char *buf, char **v, int max)
{
	char *r = buf, *w = buf;
	int n = 0;

	for (;;) {
		char q = 0;

		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			break;
		if (n + 1 >= max)
			return -1;
		v[n++] = w;
		while (*r && (q || (*r != ' ' && *r != '\t'))) {
			if (q && *r == q) {
				q = 0;
				r++;
			} else if (!q && (*r == '\'' || *r == '"')) {
				q = *r++;
			} else if (*r == '\\' && q != '\'' && r[1] &&
				   (!q || r[1] == '"' || r[1] == '\\')) {
				*w++ = r[1];
				r += 2;
			} else {
				*w++ = *r++;
			}
		}
		if (q)
			return -2;
		/* r is past w or at the end: the terminator never lands on unread text */
		if (*r)
			r++;
		*w++ = '\0';
	}
	v[n] = NULL;
	return n;
}

static bool root_is_host(const char *s)
{
	char b[UI_FIELD_TEXT_MAX];

	trim(s, b, sizeof(b));
	return !b[0] || strcmp(b, "host") == 0;
}

#define LAUNCH_IMAGE "image:"

/* "image:PATH" in Root: PATH, else NULL. */
static const char *root_image(const char *trimmed)
{
	return strncmp(trimmed, LAUNCH_IMAGE, strlen(LAUNCH_IMAGE)) == 0 ?
	       trimmed + strlen(LAUNCH_IMAGE) : NULL;
}

/* The volumes of text into vols (borrowing from buf, a copy of it); 0, or
 * -1 with msg saying why one is refused. host_root: checks the targets. */
static int parse_volumes(const char *text, bool host_root, char *buf, size_t bufsize,
			 struct rt_volume *vols, size_t *nvols, char *msg, size_t size)
{
	char *words[RT_MAX_VOLUMES + 1];
	struct nst_err err;
	int n;

	snprintf(buf, bufsize, "%s", text);
	n = split_words(buf, words, RT_MAX_VOLUMES + 1);
	if (n < 0) {
		snprintf(msg, size, "at most %d volumes", RT_MAX_VOLUMES);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char resolved[RT_PATH_MAX];

		nst_err_clear(&err);
		/* the runtime's rule: a source there, and with the host's
		 * read-only root a target there already, of the source's kind */
		if (rt_parse_volume(words[i], &vols[i], &err) < 0 ||
		    rt_check_volume(&vols[i], host_root ? NULL : "/", resolved, &err) < 0) {
			snprintf(msg, size, "%s", err.msg);
			return -1;
		}
	}
	*nvols = (size_t)n;
	return 0;
}

/* A limit field: empty is no limit; else the parser's verdict. */
static void check_limit(int which, const char *text, struct rt_limits *l, char *msg, size_t size)
{
	char b[UI_FIELD_TEXT_MAX];
	struct nst_err err;
	int rc = 0;

	trim(text, b, sizeof(b));
	if (!b[0])
		return;
	nst_err_clear(&err);
	switch (which) {
	case LF_MEMORY: rc = nst_parse_size(b, &l->memory_bytes, &err); break;
	case LF_CPUS: rc = rt_parse_cpus(b, &l->cpu_quota_us, &l->cpu_period_us, &err); break;
	case LF_WEIGHT: rc = rt_parse_cpu_weight(b, &l->cpu_weight, &err); break;
	case LF_PIDS: rc = rt_parse_pids(b, &l->pids_max, &err); break;
	default: /* the limits dialog's cpuset */
		rc = rt_parse_cpuset(b, l->cpuset, sizeof(l->cpuset), &err);
		break;
	}
	if (rc < 0)
		snprintf(msg, size, "%s", err.msg);
}

static void launch_check(struct ui_form *f, int i, char *msg, size_t size)
{
	const struct ui_field *v = f->fields;
	const char *text = v[i].text;
	char b[UI_FIELD_TEXT_MAX];
	char resolved[RT_PATH_MAX];
	struct nst_err err;

	nst_err_clear(&err);
	switch (i) {
	case LF_COMMAND: {
		char *words[LAUNCH_MAX_WORDS];

		int n;

		snprintf(b, sizeof(b), "%s", text);
		n = split_command(b, words, LAUNCH_MAX_WORDS);
		if (n == -1)
			snprintf(msg, size, "at most %d words", LAUNCH_MAX_WORDS - 1);
		else if (n == -2)
			snprintf(msg, size, "a quote is not closed");
		/* the runtime's rule; the form's idle container is the shell mode's */
		else if (rt_check_command(words, v[LF_MODE].choice == MODE_SHELL, &err) < 0)
			snprintf(msg, size, "%s", err.msg);
		break;
	}
	case LF_NAME: {
		struct rt_state *rs;

		trim(text, b, sizeof(b));
		if (!b[0])
			break;
		if (rt_name_check(b, &err) < 0) {
			snprintf(msg, size, "%s", err.msg);
			break;
		}
		if (!(rs = malloc(sizeof(*rs))))
			break;
		if (rt_state_load(((struct launch_form *)f->data)->rt, b, rs, &err) == 0)
			snprintf(msg, size, "container %s already exists (%s)", b,
				 rt_status_name(rs->status));
		free(rs);
		break;
	}
	case LF_ROOT:
		if (root_is_host(text))
			break;
		trim(text, b, sizeof(b));
		/* the runtime's own checks, the ones nstop run makes */
		if (root_image(b) ? img_check_path(root_image(b), &err) < 0 :
				    rt_check_rootfs(b, false, resolved, &err) < 0)
			snprintf(msg, size, "%s", err.msg);
		break;
	case LF_OVERLAY:
		if (!v[i].choice)
			break;
		/* the runtime's rule, in the form's words where it names a field */
		if (root_is_host(v[LF_ROOT].text)) {
			if (rt_check_rootfs(NULL, true, resolved, &err) < 0)
				snprintf(msg, size, "an overlay needs a directory as Root, not the host's /");
			break;
		}
		trim(v[LF_ROOT].text, b, sizeof(b));
		if (root_image(b))
			break;	/* an image has its writable layer anyway */
		if (rt_check_rootfs(b, true, resolved, &err) < 0 && err.usage)
			snprintf(msg, size, "%s", err.msg);
		break;
	case LF_VOLUMES: {
		struct rt_volume vols[RT_MAX_VOLUMES];
		size_t n;

		parse_volumes(text, root_is_host(v[LF_ROOT].text), b, sizeof(b), vols, &n, msg,
			      size);
		break;
	}
	case LF_NET: {
		enum rt_net mode;
		const char *which;
		int fd = -1;

		/* the runtime's own checks: the word, the name, and that the
		 * namespace to join is there */
		trim(text, b, sizeof(b));
		if (rt_parse_net(b, &mode, &which, &err) < 0 ||
		    (mode == RT_NET_NETNS && (fd = net_netns_open(which, &err)) < 0) ||
		    (mode == RT_NET_CONTAINER &&
		     (fd = net_container_open(((struct launch_form *)f->data)->rt, which,
					      &err)) < 0))
			snprintf(msg, size, "%s", err.msg);
		if (fd >= 0)
			close(fd);
		break;
	}
	case LF_NAT: {
		enum rt_net mode = RT_NET_NONE;
		const char *which;

		/* run's own rule; a Network refused says so on its own line */
		trim(v[LF_NET].text, b, sizeof(b));
		if (rt_parse_net(b, &mode, &which, &err) == 0 &&
		    rt_check_nat(mode, v[i].choice, &err) < 0)
			snprintf(msg, size, "%s", err.msg);
		break;
	}
	case LF_MEMORY: case LF_CPUS: case LF_WEIGHT: case LF_PIDS: {
		struct rt_limits l;

		rt_limits_init(&l);
		check_limit(i, text, &l, msg, size);
		break;
	}
	default:
		break;
	}
}

/* ---- the launch ----------------------------------------------------------- */

/* Everything rt_run borrows, alive until it returns. */
struct launch_args {
	struct rt_spec spec;
	char name[RT_NAME_MAX + 1];
	char root[UI_FIELD_TEXT_MAX];
	char volbuf[UI_FIELD_TEXT_MAX];
	char cmdbuf[UI_FIELD_TEXT_MAX];
	char netbuf[UI_FIELD_TEXT_MAX];
	char *argv[LAUNCH_MAX_WORDS];
	const char *image;		/* Root's image:PATH */
	struct img_image img;
	struct img_run keep;
	bool img_loaded, img_applied;
};

/* An image in Root: into the store and over the spec, as nstop run
 * --image does (no progress: the screen is curses'). */
static int launch_image(struct launch_args *a, struct nst_err *err)
{
	int rc;

	if (!a->image)
		return 0;
	if ((rc = img_load(a->image, false, &a->img, err)) < 0)
		return rc;
	a->img_loaded = true;
	if ((rc = img_apply(&a->img, &a->spec, &a->keep, err)) < 0)
		return rc;
	a->img_applied = true;
	return 0;
}

static void launch_args_free(struct launch_args *a)
{
	if (a->img_applied)
		img_run_free(&a->keep);
	if (a->img_loaded)
		img_image_free(&a->img);
	free(a);
}

static void launch_build(struct launch_args *a, const struct ui_field *v)
{
	char msg[256];
	struct rt_spec *s = &a->spec;

	rt_spec_init(s);
	trim(v[LF_NAME].text, a->name, sizeof(a->name));
	s->name = a->name[0] ? a->name : NULL;
	if (!root_is_host(v[LF_ROOT].text)) {
		trim(v[LF_ROOT].text, a->root, sizeof(a->root));
		a->image = root_image(a->root);
		if (!a->image) {
			s->rootfs = a->root;
			s->overlay = v[LF_OVERLAY].choice;
		}
	}
	parse_volumes(v[LF_VOLUMES].text, false, a->volbuf, sizeof(a->volbuf), s->volumes,
		      &s->nvolumes, msg, sizeof(msg));
	msg[0] = '\0';
	check_limit(LF_MEMORY, v[LF_MEMORY].text, &s->limits, msg, sizeof(msg));
	check_limit(LF_CPUS, v[LF_CPUS].text, &s->limits, msg, sizeof(msg));
	check_limit(LF_WEIGHT, v[LF_WEIGHT].text, &s->limits, msg, sizeof(msg));
	check_limit(LF_PIDS, v[LF_PIDS].text, &s->limits, msg, sizeof(msg));
	{
		struct nst_err err;

		trim(v[LF_NET].text, a->netbuf, sizeof(a->netbuf));
		/* checked by the form; a failure here keeps the default */
		if (rt_parse_net(a->netbuf, &s->net, &s->net_name, &err) < 0) {
			s->net = RT_NET_NONE;
			s->net_name = NULL;
		}
		s->nat = v[LF_NAT].choice;
	}
	snprintf(a->cmdbuf, sizeof(a->cmdbuf), "%s", v[LF_COMMAND].text);
	split_command(a->cmdbuf, a->argv, LAUNCH_MAX_WORDS);
	s->argv = a->argv[0] ? a->argv : NULL;
}

static void launch_go(struct ui_state *ui, const struct ui_field *v)
{
	struct launch_args *a = calloc(1, sizeof(*a));
	int mode = v[LF_MODE].choice, status = 0, rc;
	char name[RT_NAME_MAX + 1] = "", cmd[128];
	char *const *argv;
	struct nst_err err;

	if (!a) {
		ui_message(ui, THEME_ERROR, "launch: %s", strerror(ENOMEM));
		return;
	}
	nst_err_clear(&err);
	launch_build(a, v);
	argv = a->spec.argv;
	snprintf(cmd, sizeof(cmd), "%s", argv ? argv[0] : "sh");
	a->spec.detach = mode != MODE_FOREGROUND;
	if (a->image && mode == MODE_SHELL)
		a->spec.argv = NULL;	/* idle: the image's command is not run */
	if (launch_image(a, &err) < 0) {
		ui_message(ui, THEME_ERROR, "launch: %s", err.msg);
		launch_args_free(a);
		return;
	}
	if (a->image && mode != MODE_SHELL) {
		argv = a->spec.argv;
		snprintf(cmd, sizeof(cmd), "%s", argv ? argv[0] : "sh");
	}
	switch (mode) {
	case MODE_SHELL:
		/* idle, then the command enters it on this terminal */
		a->spec.argv = NULL;
		a->spec.detach = true;
		rc = rt_run(&ui->rt, &a->spec, &status, name, &err);
		if (rc < 0)
			break;
		ui_suspend(ui);
		/* where the user is, and the way back, as e says it */
		printf("nstop: %s in the new container %s; exit it to come back "
		       "(the container keeps running)\n", cmd, name);
		fflush(stdout);
		rc = rt_exec_env(&ui->rt, name, argv, NULL, &status, &err);
		ui_resume(ui);
		ui_redo_select(ui, name);
		if (rc < 0)
			ui_message(ui, THEME_ERROR, "%s: started, but %s did not run: %s", name,
				   cmd, err.msg);
		else
			ui_message(ui, THEME_STATUS,
				   "%s: %s exited %d; the container keeps running (X: a shell again, z: freeze, L: limits, D: remove)",
				   name, cmd, status);
		launch_args_free(a);
		return;
	case MODE_FOREGROUND:
		a->spec.detach = false;
		ui_suspend(ui);
		printf("nstop: %s in a new container; when it ends, so does the container, "
		       "and you are back\n", cmd);
		fflush(stdout);
		rc = rt_run(&ui->rt, &a->spec, &status, name, &err);
		ui_resume(ui);
		if (rc < 0)
			break;
		ui_redo_select(ui, name);
		ui_message(ui, THEME_STATUS, "%s: %s ended with exit status %d", name, cmd, status);
		launch_args_free(a);
		return;
	default:
		a->spec.detach = true;
		rc = rt_run(&ui->rt, &a->spec, &status, name, &err);
		if (rc < 0)
			break;
		ui_redo_select(ui, name);
		ui_message(ui, THEME_STATUS, "%s: %s runs detached (O: its log)", name, cmd);
		launch_args_free(a);
		return;
	}
	ui_message(ui, THEME_ERROR, "launch: %s", err.msg);
	launch_args_free(a);
}

/* ---- the modal screen ------------------------------------------------------ */

static void launch_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct launch_form *lf = ui->modal_data;

	ui_form_draw(ui, &lf->form, y, h, w);
}

static void launch_close(struct ui_state *ui)
{
	struct launch_form *lf = ui->modal_data;

	/* kept for the next form */
	if (lf && (ui->launch || (ui->launch = calloc(1, sizeof(*ui->launch)))))
		memcpy(ui->launch->fields, lf->fields, sizeof(lf->fields));
	free(lf);
}

static const struct ui_modal launch_modal;

static void launch_key(struct ui_state *ui, int key)
{
	struct launch_form *lf = ui->modal_data;

	switch (ui_form_key(&lf->form, key)) {
	case UI_FORM_CANCEL:
		ui_modal_close(ui);
		ui_message(ui, THEME_STATUS, "Nothing launched");
		return;
	case UI_FORM_SUBMIT: {
		struct ui_field v[LF_N];

		memcpy(v, lf->fields, sizeof(v));
		ui_modal_close(ui);
		/* the next form starts from these, with a name still free */
		if (ui->launch)
			ui->launch->fields[LF_NAME].text[0] = '\0';
		launch_go(ui, v);
		return;
	}
	case UI_FORM_NONE:
		return;
	}
}

static const struct ui_modal launch_modal = {
	.name = "launch", .key = launch_key, .draw = launch_draw, .close = launch_close,
};

void ui_launch_open(struct ui_state *ui)
{
	struct launch_form *lf = calloc(1, sizeof(*lf));

	if (!lf) {
		ui_message(ui, THEME_ERROR, "launch: %s", strerror(ENOMEM));
		return;
	}
	memcpy(lf->fields, ui->launch ? ui->launch->fields : launch_fields, sizeof(lf->fields));
	snprintf(lf->form.title, sizeof(lf->form.title), "Launch a container");
	lf->form.submit = "Start";
	lf->form.fields = lf->fields;
	lf->form.nfields = LF_N;
	lf->form.check = launch_check;
	lf->form.data = lf;
	lf->rt = &ui->rt;
	ui_form_check(&lf->form);
	ui_modal_open(ui, &launch_modal, lf);
}

void ui_launch_free(struct ui_state *ui)
{
	free(ui->launch);
	ui->launch = NULL;
}

/* ---- the limits dialog ------------------------------------------------------ */

enum { LL_MEMORY, LL_CPUS, LL_WEIGHT, LL_PIDS, LL_CPUSET, LL_N };

static const struct ui_field limits_fields[LL_N] = {
	[LL_MEMORY] = { .label = "Memory", .kind = UI_FIELD_TEXT,
		.help = "Memory limit: 64M, 1.5G, 4096 (bytes). Empty when none is set; a set limit cannot be removed, only changed" },
	[LL_CPUS] = { .label = "CPUs", .kind = UI_FIELD_TEXT,
		.help = "CPU limit in cpus: 0.5, 2. Empty when none is set; a set limit cannot be removed, only changed" },
	[LL_WEIGHT] = { .label = "CPU weight", .kind = UI_FIELD_TEXT,
		.help = "Relative cpu weight 1..10000 (100: the default). Empty: the default" },
	[LL_PIDS] = { .label = "Pids", .kind = UI_FIELD_TEXT,
		.help = "The most processes it may have. Empty when none is set; a set limit cannot be removed, only changed" },
	[LL_CPUSET] = { .label = "Cpuset", .kind = UI_FIELD_TEXT,
		.help = "The cpus it may run on: 0-1,3. Empty: all of its parent's" },
};

struct limits_form {
	struct ui_form form;
	struct ui_field fields[LL_N];
	char was[LL_N][UI_FIELD_TEXT_MAX];	/* as prefilled: unchanged ones are not written */
	char name[RT_NAME_MAX + 1];
};

static const int limits_which[LL_N] = { LF_MEMORY, LF_CPUS, LF_WEIGHT, LF_PIDS, -1 };

/* 0.5 rather than 0.500000 */
static void fmt_cpus(int64_t quota, int64_t period, char *buf, size_t size)
{
	char *p;

	snprintf(buf, size, "%.3f", (double)quota / (double)period);
	p = buf + strlen(buf) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
}

static void limits_check(struct ui_form *f, int i, char *msg, size_t size)
{
	const struct limits_form *lf = f->data;
	char b[UI_FIELD_TEXT_MAX];
	struct rt_limits l;

	trim(f->fields[i].text, b, sizeof(b));
	if (!b[0] && lf->was[i][0]) {
		snprintf(msg, size,
			 "a limit cannot be removed (nstop update only changes one): give a value");
		return;
	}
	rt_limits_init(&l);
	check_limit(limits_which[i], b, &l, msg, size);
}

static void limits_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct limits_form *lf = ui->modal_data;

	ui_form_draw(ui, &lf->form, y, h, w);
}

static void limits_close(struct ui_state *ui)
{
	free(ui->modal_data);
}

/* The changed fields into l, and "memory 128M, pids 50" into what. */
static int limits_changed(const struct limits_form *lf, struct rt_limits *l, char *what,
			  size_t size)
{
	static const char *const names[LL_N] = { "memory", "cpus", "cpu weight", "pids", "cpuset" };
	char msg[256], b[UI_FIELD_TEXT_MAX];
	size_t len = 0;
	int n = 0;

	rt_limits_init(l);
	what[0] = '\0';
	for (int i = 0; i < LL_N; i++) {
		trim(lf->fields[i].text, b, sizeof(b));
		if (strcmp(b, lf->was[i]) == 0)
			continue;
		check_limit(limits_which[i], b, l, msg, sizeof(msg));
		len += (size_t)snprintf(what + len, len < size ? size - len : 0, "%s%s %s",
					n ? ", " : "", names[i], b);
		n++;
	}
	return n;
}

static void limits_key(struct ui_state *ui, int key)
{
	struct limits_form *lf = ui->modal_data;
	char name[RT_NAME_MAX + 1], what[512];
	struct rt_limits l;
	struct nst_err err;

	switch (ui_form_key(&lf->form, key)) {
	case UI_FORM_CANCEL:
		ui_modal_close(ui);
		ui_message(ui, THEME_STATUS, "No limit changed");
		return;
	case UI_FORM_NONE:
		return;
	case UI_FORM_SUBMIT:
		break;
	}
	snprintf(name, sizeof(name), "%s", lf->name);
	if (!limits_changed(lf, &l, what, sizeof(what))) {
		ui_modal_close(ui);
		ui_message(ui, THEME_STATUS, "%s: no limit changed", name);
		return;
	}
	nst_err_clear(&err);
	if (rt_update(&ui->rt, name, &l, &err) < 0) {
		/* the dialog stays, with the values, for another try */
		snprintf(lf->form.note, sizeof(lf->form.note), "%.*s",
			 (int)sizeof(lf->form.note) - 1, err.msg);
		ui_message(ui, THEME_ERROR, "%s: %s", name, err.msg);
		return;
	}
	ui_modal_close(ui);
	/* the plots' limit line comes from the cgroup files: read them now */
	ui_redo(ui, UI_REDO_REFRESH);
	ui_message(ui, THEME_STATUS, "%s: %s", name, what);
}

static const struct ui_modal limits_modal = {
	.name = "limits", .key = limits_key, .draw = limits_draw, .close = limits_close,
};

void ui_limits_open(struct ui_state *ui)
{
	const struct eng_ctr *c = ui_selected_container(ui);
	struct limits_form *lf;
	struct rt_state *st;
	struct nst_err err;

	if (!c) {
		ui_message(ui, THEME_ERROR, "limits: select a container (Tab to the Containers view)");
		return;
	}
	if (eng_ctr_foreign(c)) {
		ui_refuse_foreign(ui, c->kind, c->id, eng_ctr_name(c), "update");
		return;
	}
	lf = calloc(1, sizeof(*lf));
	st = malloc(sizeof(*st));
	if (!lf || !st) {
		free(lf);
		free(st);
		ui_message(ui, THEME_ERROR, "limits: %s", strerror(ENOMEM));
		return;
	}
	snprintf(lf->name, sizeof(lf->name), "%s", eng_ctr_name(c));
	nst_err_clear(&err);
	if (rt_state_load(&ui->rt, lf->name, st, &err) < 0) {
		ui_message(ui, THEME_ERROR, "limits: %s", err.msg);
		free(lf);
		free(st);
		return;
	}
	if (st->status == RT_EXITED) {
		ui_message(ui, THEME_ERROR, "limits: %s has exited; its limits are gone with it",
			   lf->name);
		free(lf);
		free(st);
		return;
	}
	if (st->limits.memory_bytes > 0)
		nst_format_size(st->limits.memory_bytes, lf->was[LL_MEMORY], sizeof(lf->was[0]));
	if (st->limits.cpu_quota_us > 0 && st->limits.cpu_period_us > 0)
		fmt_cpus(st->limits.cpu_quota_us, st->limits.cpu_period_us, lf->was[LL_CPUS],
			 sizeof(lf->was[0]));
	if (st->limits.cpu_weight > 0)
		snprintf(lf->was[LL_WEIGHT], sizeof(lf->was[0]), "%" PRId64, st->limits.cpu_weight);
	if (st->limits.pids_max > 0)
		snprintf(lf->was[LL_PIDS], sizeof(lf->was[0]), "%" PRId64, st->limits.pids_max);
	snprintf(lf->was[LL_CPUSET], sizeof(lf->was[0]), "%s", st->limits.cpuset);
	free(st);
	memcpy(lf->fields, limits_fields, sizeof(lf->fields));
	for (int i = 0; i < LL_N; i++)
		snprintf(lf->fields[i].text, sizeof(lf->fields[i].text), "%s", lf->was[i]);
	snprintf(lf->form.title, sizeof(lf->form.title), "Limits of %s (empty: none set)",
		 lf->name);
	lf->form.submit = "Apply";
	lf->form.fields = lf->fields;
	lf->form.nfields = LL_N;
	lf->form.check = limits_check;
	lf->form.data = lf;
	ui_form_check(&lf->form);
	ui_modal_open(ui, &limits_modal, lf);
}
