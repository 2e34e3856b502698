/* cmd_verify.c - kdx verify: check a snapshot, the whole chain, or reproduce its reports. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kdx/buf.h"
#include "kdx/cli.h"
#include "kdx/json.h"
#include "kdx/layout.h"
#include "kdx/reproduce.h"
#include "kdx/verify.h"

const char kdx_usage_verify[] =
	"usage: kdx verify ARCHIVE\n"
	"       kdx verify --chain-head HASH ARCHIVE...\n"
	"       kdx verify --pubkey FILE ARCHIVE\n"
	"       kdx verify --all\n"
	"       kdx verify --reproduce ARCHIVE\n"
	"\n"
	"Check a snapshot against RFC 8493 (every manifest entry present and matching,\n"
	"no extra payload file, tag manifest, Payload-Oxum), or every recorded\n"
	"snapshot and the chain between them.  ARCHIVE is the .tar.gz, a re-packed\n"
	"or plain .tar, or the extracted bag folder.  Where there is a warehouse, the\n"
	"bag is also compared with what it recorded for the snapshot the bag claims to\n"
	"be: the same tagmanifest, the same link to the one before.  Without one (an\n"
	"auditor's own machine), --chain-head checks the archives against the chain\n"
	"head published in the minutes: the head is one of them and every other is\n"
	"reached from it through the Previous-Snapshot links.  --reproduce also\n"
	"regenerates the reports from the archived data in a temporary database and\n"
	"compares them byte for byte.  --pubkey also checks the bag's signature of its\n"
	"tag manifest (tagmanifest-sha256.txt.sig, made when KDX_SIGNING_KEY was set)\n"
	"with the council's Ed25519 public key in PEM: a missing or wrong signature\n"
	"fails.  Every problem is named; exit status 65 when there is any.\n";

static int print_problems(const kdx_verify_result *r, const char *what)
{
	if (r->nproblems == 0)
		return 0;
	kdx_emitf(stderr, KDX_LOG_ERR, "kdx: error: %s failed: %d problem%s\n", what, r->nproblems, r->nproblems == 1 ? "" : "s");
	for (int i = 0; i < r->nproblems; i++) {
		char *shown = kdx_shown(r->problems[i]);  /* a line each, whatever an entry's name holds */
		kdx_emitf(stderr, KDX_LOG_ERR, "detail: %s\n", shown);
		free(shown);
	}
	if (r->interrupted > 0 && r->interrupted == r->nproblems)
		kdx_emitf(stderr, KDX_LOG_ERR, "hint: %s\n", kdx_verify_advice(r));
	else
		kdx_emitf(stderr, KDX_LOG_ERR, "hint: Keep the archive as it is, as evidence, and report it to the council secretariat;"
		          " a backup copy of it can be checked the same way.  A new snapshot would not replace what this one recorded.\n");
	return 65;
}

static int verify_chain_head(kdx_env *env, const char *head, int n, char **archives)
{
	if (n < 1)
		return kdx_cli_usage_error("verify", "--chain-head takes the archives to check against it");
	if (strlen(head) < 8 || strspn(head, "0123456789abcdefABCDEF") != strlen(head) || strlen(head) > 64)
		return kdx_cli_usage_error("verify", "--chain-head takes a SHA-256 (at least its first 8 hex digits), not \"%s\"", head);
	kdx_verify_result all = { 0 };
	kdx_verify_result *each = kdx_xcalloc((size_t)n, sizeof *each);
	kdx_error *err = NULL;
	kdx_status st = KDX_OK;
	for (int i = 0; i < n && st != KDX_EIO && st != KDX_EINTERNAL; i++) {
		kdx_status one = kdx_snapshot_verify(archives[i], &each[i], NULL, NULL, &err);
		if (err) {  /* unreadable, or not packaged as a bag */
			st = one;
			break;
		}
		for (int k = 0; k < each[i].nproblems; k++)
			kdx_verify_problem(&all, "%s: %s", archives[i], each[i].problems[k]);
	}
	if (st == KDX_OK)
		kdx_snapshot_check_chain(head, archives, each, n, &all);
	if (st == KDX_OK && all.nproblems == 0 && !env->quiet && !env->json)
		printf("%d archive%s valid and linked to the chain head %s\n", n, n == 1 ? "" : "s", head);
	if (env->json && st == KDX_OK) {
		kdx_json j;
		kdx_json_begin(&j, stdout);
		kdx_json_str(&j, "checked_what", "chain-head");
		kdx_json_str(&j, "archive", NULL);
		kdx_json_bool(&j, "valid", all.nproblems == 0);
		kdx_json_int(&j, "checked", n);
		kdx_json_array(&j, "problems");
		for (int i = 0; i < all.nproblems; i++)
			kdx_json_str(&j, NULL, all.problems[i]);
		kdx_json_close(&j, ']');
		kdx_json_end(&j);
	}
	int rc = st != KDX_OK ? kdx_cli_fail(st, err) : print_problems(&all, "verification against the chain head");
	for (int i = 0; i < n; i++)
		kdx_verify_result_free(&each[i]);
	free(each);
	kdx_verify_result_free(&all);
	return rc;
}

int kdx_cmd_verify(int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "reproduce", no_argument, NULL, 'r' },
		{ "chain-head", required_argument, NULL, 'c' },
		{ "pubkey", required_argument, NULL, 'p' },
		KDX_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	bool all = false, reproduce = false;
	const char *head = NULL, *pubkey = NULL;
	int c, rc;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'c')
			head = optarg;
		else if (c == 'p')
			pubkey = optarg;
		else if (c == 'a')
			all = true;
		else if (c == 'r')
			reproduce = true;
		else if ((rc = kdx_cli_common(c, "verify", env)) >= 0)
			return rc;
	}
	if (all == (optind < argc))
		return kdx_cli_usage_error("verify", "give an ARCHIVE or --all");
	if (head)
		return verify_chain_head(env, head, argc - optind, argv + optind);
	if (!all && optind + 1 < argc)
		return kdx_cli_usage_error("verify", "give one ARCHIVE, or several with --chain-head");
	kdx_verify_result res = { 0 };
	kdx_error *err = NULL;
	kdx_status st;
	bool quiet = env->quiet || env->json;  /* --json: one object at the end instead */
	if (!all && !reproduce) {
		kdx_db *db = kdx_cli_db_if_any(env, "the bag was checked on its own; --chain-head checks it against a published chain head");
		char *claim = NULL;
		st = kdx_snapshot_check(argv[optind], db, &res, &claim, NULL, &err);
		if (claim && !quiet)
			printf("%s claims to be %s\n", res.bag, claim);
		free(claim);
		if (st == KDX_EDATA && err) {  /* unreadable, or not packaged as a bag */
			kdx_verify_result_free(&res);
			return kdx_cli_fail(st, err);
		}
		if ((st == KDX_OK || st == KDX_EDATA) && pubkey) {
			kdx_status sst = kdx_snapshot_check_signature(argv[optind], pubkey, &res, &err);
			if (sst != KDX_OK && sst != KDX_EDATA)
				return kdx_cli_fail(sst, err);
			if (sst == KDX_OK && !quiet)
				printf("%s: signature valid (%s)\n", argv[optind], pubkey);
			if (sst == KDX_EDATA)
				st = KDX_EDATA;
		}
		if (st == KDX_OK && !quiet)
			printf("%s: valid bag\n", argv[optind]);
	} else {
		kdx_db *db = NULL;
		st = kdx_cli_db(env, &db, NULL, &err);
		if (st == KDX_OK && all) {
			char *root = kdx_home_path(env->home, KDX_PLACE_ARCHIVE, "");
			root[strlen(root) - 1] = '\0';  /* "…/archive/" without its slash */
			st = kdx_snapshot_verify_all(db, root, &res, &err);
			free(root);
			for (int i = 0; i < res.nnotes && !quiet; i++)
				printf("%s\n", res.notes[i]);
			if (st == KDX_OK && !quiet)
				printf("%d snapshot%s valid, chain intact\n", res.checked, res.checked == 1 ? "" : "s");
		} else if (st == KDX_OK) {
			st = kdx_snapshot_verify(argv[optind], &res, NULL, NULL, &err);
			if (st == KDX_OK) {
				res.checked = 0;
				st = kdx_snapshot_reproduce(env, db, argv[optind], &res, &err);
				if (st == KDX_OK && !quiet)
					printf("%s: %d reports regenerated byte for byte\n", argv[optind], res.checked);
			}
		}
	}
	if (env->json && (st == KDX_OK || (st == KDX_EDATA && !err))) {
		kdx_json j;
		kdx_json_begin(&j, stdout);
		kdx_json_str(&j, "checked_what", all ? "chain" : reproduce ? "reproduction" : "bag");
		kdx_json_str(&j, "archive", all ? NULL : argv[optind]);
		kdx_json_bool(&j, "valid", st == KDX_OK);
		kdx_json_int(&j, "checked", res.checked);
		kdx_json_array(&j, "problems");
		for (int i = 0; i < res.nproblems; i++)
			kdx_json_str(&j, NULL, res.problems[i]);
		kdx_json_close(&j, ']');
		kdx_json_array(&j, "interrupted");
		for (int i = 0; i < res.nnotes; i++)
			kdx_json_str(&j, NULL, res.notes[i]);
		kdx_json_close(&j, ']');
		kdx_json_end(&j);
	}
	if (st == KDX_EDATA && !err) {
		rc = print_problems(&res, all ? "verification of the snapshot chain" : reproduce ? "reproduction" : "verification");
		kdx_verify_result_free(&res);
		return rc;
	}
	kdx_verify_result_free(&res);
	return kdx_cli_fail(st, err);
}
