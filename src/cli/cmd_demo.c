/* cli/cmd_demo.c: anju demo: fills an empty database with the demo company. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "demo/demo.h"

int cmd_demo(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--seed", "--scale", NULL};
    if (cli_check_opts(rest, n, 1, opts)) return 2;
    const char *seed = cli_opt(rest, n, "--seed"), *scale = cli_opt(rest, n, "--scale");
    demo_scale sc = DEMO_SMALL;
    if (scale && strcmp(scale, "small") == 0) sc = DEMO_SMALL;
    else if (scale && strcmp(scale, "medium") == 0) sc = DEMO_MEDIUM;
    else if (scale && strcmp(scale, "large") == 0) sc = DEMO_LARGE;
    else if (scale) {
        fprintf(stderr, "anju: --scale is small, medium or large\n");
        return 2;
    }
    db *c = cli_open(cfg, 1);
    if (!c) return 1;
    const char *pw = getenv("ANJU_DEMO_PASSWORD");
    if (!pw || !*pw) pw = "anju2026";
    demo_stats st = {0};
    aj_error err = {0};
    int rc = demo_run(c, seed ? strtoull(seed, NULL, 10) : 1, sc, pw, cfg->data_dir, &st, &err);
    db_close(c);
    if (rc == AJ_ECONFLICT) {
        fprintf(stderr, "anju demo: the database already has data; nothing changed\n");
        return 0;
    }
    if (rc) {
        fprintf(stderr, "anju demo: %s\n", err.message);
        return 1;
    }
    printf("demo data: %d projects, %d buildings, %d rooms, %d residents, %d staff,"
           " %d tickets (%d open), %d pieces of equipment, %d plans, %d tasks (%d findings with tickets),"
           " %d rectifications, %d surveys (%d answers), %d resident meetings, %d mystery visits\n",
           st.projects, st.buildings, st.rooms, st.residents, st.staff, st.tickets,
           st.open_tickets, st.equipment, st.plans, st.tasks, st.findings, st.rectifications, st.surveys,
           st.survey_responses, st.meetings, st.mystery_visits);
    return 0;
}
