/* tests/unit/test_ticket.c: the ticket state machine as a table, and the
 * search terms (character bigrams) that serve Chinese substring queries. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/tickets/ticket.h"

static const char *const states[] = {"new",     "accepted", "assigned", "in_progress",
                                     "on_hold", "resolved", "closed",   "cancelled"};
#define NSTATES (sizeof states / sizeof states[0])

/* to(action, kind, status, held_from): the resulting status or NULL. */
static const char *to(const char *action, const char *kind, const char *status, const char *held)
{
    const char *out = NULL;
    int rc = ticket_transition(action, kind, status, held, &out);
    return rc == 0 ? out : NULL;
}

Test(ticket, transitions_follow_the_table)
{
    /* The API.md table for a repair: from -> to, everything else refused. */
    struct {
        const char *action;
        const char *allowed[NSTATES][2];
    } table[] = {
        {"accept", {{"new", "accepted"}}},
        {"assign", {{"accepted", "assigned"}, {"assigned", "assigned"}}},
        {"arrive", {{"assigned", "in_progress"}}},
        {"contact", {{"new", "new"}, {"accepted", "accepted"}, {"assigned", "assigned"},
                     {"in_progress", "in_progress"}, {"on_hold", "on_hold"}}},
        {"investigate", {{NULL, NULL}}},
        {"hold", {{"accepted", "on_hold"}, {"assigned", "on_hold"}, {"in_progress", "on_hold"}}},
        {"resume", {{"on_hold", "in_progress"}}},
        {"resolve", {{"assigned", "resolved"}, {"in_progress", "resolved"}}},
        {"rate", {{"resolved", "resolved"}, {"closed", "closed"}}},
        {"visit", {{"resolved", "resolved"}, {"closed", "closed"}}},
        {"close", {{"resolved", "closed"}}},
        {"reopen", {{"resolved", "assigned"}, {"closed", "assigned"}}},
        {"cancel", {{"new", "cancelled"}, {"accepted", "cancelled"}, {"assigned", "cancelled"},
                    {"in_progress", "cancelled"}, {"on_hold", "cancelled"}}},
        {"comment", {{"new", "new"}, {"accepted", "accepted"}, {"assigned", "assigned"},
                     {"in_progress", "in_progress"}, {"on_hold", "on_hold"},
                     {"resolved", "resolved"}, {"closed", "closed"}, {"cancelled", "cancelled"}}},
    };
    for (size_t a = 0; a < sizeof table / sizeof table[0]; a++) {
        for (size_t s = 0; s < NSTATES; s++) {
            const char *want = NULL;
            for (size_t k = 0; k < NSTATES && table[a].allowed[k][0]; k++)
                if (!strcmp(table[a].allowed[k][0], states[s])) want = table[a].allowed[k][1];
            const char *got = to(table[a].action, "repair", states[s], "in_progress");
            if (want)
                cr_assert(got && !strcmp(got, want), "%s from %s: want %s, got %s",
                          table[a].action, states[s], want, got ? got : "refused");
            else
                cr_assert_null(got, "%s from %s should be refused, got %s", table[a].action,
                               states[s], got);
        }
    }
}

Test(ticket, kind_rules_and_resume)
{
    /* investigate is the complaint's, from assigned or in_progress */
    cr_assert_str_eq(to("investigate", "complaint", "assigned", NULL), "in_progress");
    cr_assert_str_eq(to("investigate", "complaint", "in_progress", NULL), "in_progress");
    cr_assert_null(to("investigate", "complaint", "accepted", NULL));
    cr_assert_null(to("investigate", "inquiry", "assigned", NULL));
    /* an inquiry is answered from accepted; nothing else is */
    cr_assert_str_eq(to("resolve", "inquiry", "accepted", NULL), "resolved");
    cr_assert_null(to("resolve", "complaint", "accepted", NULL));
    cr_assert_null(to("resolve", "suggestion", "accepted", NULL));
    /* resume returns to where the hold left; without that record it cannot */
    cr_assert_str_eq(to("resume", "repair", "on_hold", "accepted"), "accepted");
    cr_assert_str_eq(to("resume", "repair", "on_hold", "assigned"), "assigned");
    cr_assert_null(to("resume", "repair", "on_hold", NULL));
    const char *out;
    cr_assert_eq(ticket_transition("fly", "repair", "new", NULL, &out), AJ_ENOTFOUND);
    cr_assert_eq(ticket_transition("close", "repair", "new", NULL, &out), AJ_ETRANSITION);
}

static int has(const char **terms, size_t n, const char *t)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(terms[i], t)) return 1;
    return 0;
}

Test(ticket, search_terms_are_bigrams_within_runs)
{
    arena a;
    arena_init(&a, 4096);
    const char **t;
    size_t n = ticket_search_terms("厨房水管漏水，水管", &a, &t, 100);
    /* 厨房 房水 水管 管漏 漏水 (and 水管 again): distinct, sorted */
    cr_assert_eq(n, 5);
    const char *want[] = {"厨房", "房水", "水管", "管漏", "漏水"};
    for (size_t i = 0; i < 5; i++) cr_assert(has(t, n, want[i]), "missing %s", want[i]);
    for (size_t i = 1; i < n; i++) cr_assert_lt(strcmp(t[i - 1], t[i]), 0);
    /* punctuation and spaces break runs: no bigram spans them */
    n = ticket_search_terms("漏水。电梯 ABC-12", &a, &t, 100);
    cr_assert(has(t, n, "漏水") && has(t, n, "电梯") && has(t, n, "ab") && has(t, n, "bc") &&
              has(t, n, "12"));
    cr_assert(!has(t, n, "水。") && !has(t, n, "水电") && !has(t, n, "c-") && !has(t, n, "c1"));
    cr_assert_eq(n, 5);
    /* mixed runs: 3号 and 号楼 are bigrams of "3号楼" */
    n = ticket_search_terms("3号楼", &a, &t, 100);
    cr_assert(n == 2 && has(t, n, "3号") && has(t, n, "号楼"));
    /* one character and nothing give no terms; the cap holds */
    cr_assert_eq(ticket_search_terms("水", &a, &t, 100), 0);
    cr_assert_eq(ticket_search_terms("", &a, &t, 100), 0);
    cr_assert_eq(ticket_search_terms("一二三四五六七八九十", &a, &t, 3), 3);
    /* a substring's bigrams are always among its text's: what makes the index complete */
    const char *text = "卫生间天花板渗水，楼上漏水渗到我家 (急)";
    const char **all;
    size_t nall = ticket_search_terms(text, &a, &all, 1000);
    const char *subs[] = {"天花板渗水", "漏水", "渗到我家", "楼上漏"};
    for (size_t i = 0; i < 4; i++) {
        n = ticket_search_terms(subs[i], &a, &t, 100);
        for (size_t k = 0; k < n; k++) cr_assert(has(all, nall, t[k]), "%s of %s", t[k], subs[i]);
    }
    arena_free(&a);
}
