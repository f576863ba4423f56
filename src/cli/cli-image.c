/* nstop images, nstop image rm: the image store (src/image). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include "nstop/scols.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nstop/image.h"
#include "nstop/size.h"

static void images_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop images [options]\n"
"\n"
"List the images nstop has unpacked into its store (" IMG_STORE "),\n"
"as nstop run --image left them.\n"
"\n"
"Options:\n"
"  -J, --json             use JSON output format: {\"images\": [...]}\n"
"  -n, --noheadings       don't print headings\n"
"  -r, --raw              use the raw output format\n"
"  -h, --help             display this help\n"
"\n"
"Columns: ID LAYERS SIZE LAST-USED SOURCE.\n");
}

static int images_table(json_t *all, bool raw, bool noheadings)
{
	static const struct cli_column cols[] = {
		{ "ID", 0 }, { "LAYERS", SCOLS_FL_RIGHT }, { "SIZE", SCOLS_FL_RIGHT },
		{ "LAST-USED", 0 }, { "SOURCE", SCOLS_FL_TRUNC },
	};
	struct libscols_table *tb = cli_table_new(cols, sizeof(cols) / sizeof(cols[0]), raw,
						  noheadings);
	json_t *j;
	size_t i;
	int rc = -ENOMEM;

	if (!tb)
		return rc;
	json_array_foreach(all, i, j) {
		struct libscols_line *ln = out_scols.table_new_line(tb, NULL);
		const char *id = json_string_value(json_object_get(j, "id"));
		const char *used = json_string_value(json_object_get(j, "last_used"));
		const char *src = json_string_value(json_object_get(j, "source"));
		char v[5][600];

		if (!ln)
			goto out;
		snprintf(v[0], sizeof(v[0]), "%.12s", id ? id : "-");
		snprintf(v[1], sizeof(v[1]), "%zu", json_array_size(json_object_get(j, "layers")));
		/* a measured amount, as volume ls shows one (the exact bytes: -J) */
		nst_format_bytes(json_integer_value(json_object_get(j, "size_bytes")), v[2],
				 sizeof(v[2]));
		snprintf(v[3], sizeof(v[3]), "%s", used ? used : "-");
		snprintf(v[4], sizeof(v[4]), "%s", src ? src : "-");
		for (int c = 0; c < 5; c++)
			if (out_scols.line_set_data(ln, (size_t)c, v[c]) < 0)
				goto out;
	}
	rc = out_scols.print_table(tb);
out:
	out_scols.unref_table(tb);
	return rc;
}

int cli_images(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, raw = false, noheadings = false;
	struct nst_err err;
	json_t *all;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":Jnrh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = true; break;
		case 'n': noheadings = true; break;
		case 'r': raw = true; break;
		case 'h':
			images_usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("images", c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("images", "unexpected argument: %s", argv[optind]);
	if (!json && cli_tables("images") < 0)
		return CLI_FAIL;
	nst_err_clear(&err);
	if (img_list(&all, &err) < 0) {
		cli_error("images: %s", err.msg);
		return CLI_FAIL;
	}
	if (json) {
		json_t *doc = json_pack("{s:o}", "images", all);
		rc = doc && json_dumpf(doc, stdout, JSON_INDENT(3) | JSON_PRESERVE_ORDER) == 0 ? 0 : -EIO;
		putchar('\n');
		json_decref(doc);
	} else {
		rc = images_table(all, raw, noheadings);
		json_decref(all);
	}
	if (rc < 0) {
		cli_error("images: printing: %s", strerror(-rc));
		return CLI_FAIL;
	}
	return CLI_OK;
}

static void image_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop image rm <ref>...\n"
"\n"
"Remove an image from nstop's store, with its layers that no other image\n"
"has. <ref> is an image id (or a unique prefix of 4 or more hex digits) or\n"
"the path it was run from. An image a container uses (running or not) is\n"
"refused: remove the container first.\n"
"\n"
"Options:\n"
"  -h, --help             display this help\n");
}

int cli_image(int argc, char **argv)
{
	struct nst_err err;
	int rc = CLI_OK;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		image_usage(stdout);
		return CLI_OK;
	}
	if (argc < 2 || strcmp(argv[1], "rm") != 0)
		return cli_usage_error("image", argc < 2 ? "missing subcommand (rm)" :
				       "unknown subcommand: %s", argc < 2 ? "" : argv[1]);
	if (argc < 3)
		return cli_usage_error("image", "rm: which image?");
	if (!cli_runtime())
		return CLI_FAIL;
	for (int i = 2; i < argc; i++) {
		nst_err_clear(&err);
		if (img_remove(cli_runtime(), argv[i], &err) < 0) {
			cli_error("image rm: %s", err.msg);
			rc = CLI_FAIL;
		}
	}
	return rc;
}
