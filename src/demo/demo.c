/* demo/demo.c: demo data: projects, buildings, rooms, residents and staff, the same per seed. */
#include "demo/demo.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"
#include "demo/demo_batch.h"
#include "demo/demo_rng.h"
#include "domain/identity/identity.h"

#define DEMO_N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define DEMO_DAY 86400
#define DEMO_MAXPROJ 30
#define DEMO_PICK(r, a) DEMO_RNG_PICK(r, a)

/* ---- word tables ---- */
/* 锦绣华庭 comes first whatever the seed, so docs and tests may name manager_jxht. */
static const char *const demo_projects[][2] = {
    {"锦绣华庭", "JXHT"}, {"翠湖天地", "CHTD"}, {"阳光花园", "YGHY"},
    {"碧桂园·凤凰城", "BGYFHC"}, {"万科城市花园", "WKCSHY"}, {"保利香槟国际", "BLXBGJ"},
    {"绿地海珀", "LDHP"}, {"金地格林小镇", "JDGLXZ"}, {"龙湖春江郦城", "LHCJLC"},
    {"华润二十四城", "HRESSC"}, {"招商雍景湾", "ZSYJW"}, {"中海寰宇天下", "ZHHYTX"},
    {"融创壹号院", "RCYHY"}, {"世茂滨江花园", "SMBJHY"}, {"恒大名都", "HDMD"},
    {"雅居乐花园", "YJLHY"}, {"金茂府", "JMF"}, {"远洋天著", "YYTZ"},
    {"旭辉城", "XHC"}, {"新城国际", "XCGJ"}, {"紫薇花园", "ZWHY"},
    {"桂花苑", "GHY"}, {"望江名苑", "WJMY"}, {"梧桐公寓", "WTGY"},
    {"枫林绿洲", "FLLZ"}, {"东方明珠苑", "DFMZY"}, {"滨湖世纪城", "BHSJC"},
    {"春晓家园", "CXJY"}, {"康城", "KC"}, {"御景湾", "YJW"},
    {"星河湾", "XHW"}, {"君悦府", "JYF"}, {"香榭丽舍", "XXLS"},
    {"美林湖", "MLH"}, {"丽景湾", "LJW"}, {"和谐家园", "HXJY"},
};
/* A district and a road that really runs through it. */
static const char *const demo_places[][2] = {
    {"上海市浦东新区", "张杨路"}, {"上海市闵行区", "七莘路"},   {"北京市朝阳区", "望京街"},
    {"北京市海淀区", "学院路"},   {"广州市天河区", "天河北路"}, {"深圳市南山区", "科技南路"},
    {"杭州市西湖区", "文三路"},   {"南京市鼓楼区", "中山北路"}, {"成都市高新区", "天府大道"},
    {"武汉市洪山区", "珞喻路"},   {"苏州市工业园区", "星湖街"}, {"重庆市渝北区", "金开大道"},
    {"西安市雁塔区", "科技路"},   {"天津市南开区", "卫津路"},   {"长沙市岳麓区", "麓山南路"},
    {"郑州市金水区", "花园路"},   {"青岛市市南区", "香港中路"}, {"宁波市鄞州区", "天童南路"},
    {"合肥市蜀山区", "长江西路"}, {"厦门市思明区", "莲前西路"}, {"东莞市南城区", "鸿福路"},
    {"济南市历下区", "经十路"},   {"无锡市滨湖区", "太湖大道"}, {"佛山市南海区", "桂澜路"},
};
/* Most frequent first: demo_surname draws the front of the list more often. */
static const char *const demo_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
};
typedef enum { DEMO_OLD, DEMO_MID, DEMO_YOUNG } demo_age;
/* Given names by generation and sex ([age][0 female, 1 male]): names date people. */
static const char *const demo_given[3][2][24] = {
    {{"秀英", "桂兰", "淑珍", "玉兰", "凤英", "桂英", "秀兰", "淑华", "玉梅", "玉珍", "金花", "素芬",
      "桂芳", "秀珍", "凤兰", "月娥", "翠兰", "秀云", "桂珍", "玉英", "淑英", "素珍", "兰英", "美华"},
     {"建国", "建华", "国强", "德明", "振华", "福生", "长林", "德胜", "国富", "永福", "志明", "庆祥",
      "树林", "宝山", "金生", "有才", "振国", "国良", "世明", "永生", "福林", "宝华", "长青", "春生"}},
    {{"芳", "娜", "敏", "静", "丽", "艳", "丽娟", "晓燕", "海燕", "红梅", "春梅", "文静",
      "雪梅", "晓丽", "秀芳", "丽华", "晓红", "丽萍", "燕", "慧", "婷", "玲", "美玲", "淑敏"},
     {"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "志强", "海涛", "晓东", "建伟",
      "志刚", "立新", "俊峰", "国栋", "建军", "明", "辉", "鹏", "华", "飞", "文杰", "晓峰"}},
    {{"梓涵", "欣怡", "一诺", "思彤", "雨桐", "梓萱", "诗涵", "紫涵", "可馨", "梦琪", "嘉怡", "语嫣",
      "若曦", "佳琪", "雨欣", "子琪", "子涵", "诗琪", "欣妍", "思雨", "雨萱", "佳怡", "梓琪", "一涵"},
     {"子轩", "浩然", "宇轩", "子墨", "俊熙", "晨曦", "浩宇", "子豪", "博文", "宇航", "俊杰", "天佑",
      "睿哲", "明轩", "皓轩", "泽宇", "梓豪", "宇辰", "浩轩", "子骞", "奕辰", "铭泽", "俊宇", "子睿"}},
};
static const char *const demo_mobile[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
};
static const char *const demo_skills[] = {"电工", "水工", "电梯", "空调", "门窗",
                                          "消防", "弱电", "土建", "绿化"};
enum {
    TAG_ELDERLY = 1,
    TAG_ALONE = 2,
    TAG_DISABLED = 4,
    TAG_CHILD = 8,
    TAG_PREGNANT = 16,
    TAG_VIP = 32,
    TAG_KEY_CARE = 64
};
static const char *const demo_tag_names[] = {"elderly",  "alone", "disabled", "child",
                                             "pregnant", "vip",   "key_care"};
/* Front-line teams of a project: a base headcount plus one per so many rooms. */
static const struct {
    const char *prefix, *role, *dept;
    int base, rooms_per;
    double male;
} demo_teams[] = {
    {"desk", "desk", "客服部", 2, 600, 0.3},
    {"tech", "technician", "工程部", 3, 350, 0.95},
    {"guard", "guard", "秩序部", 4, 350, 0.9},
    {"cleaner", "cleaner", "保洁部", 2, 500, 0.3},
    {"gardener", "cleaner", "绿化部", 1, 1500, 0.7},
};

/* ---- the run ---- */
typedef struct demo_project {
    int64_t id, created;
    const char *code;
    char lc[40];    /* code in lower case, for usernames */
    int target;     /* rooms to aim for */
    int hashed;     /* its first resident has the demo password */
    int64_t *rooms; /* room ids in the order they were generated */
    int nrooms;
} demo_project;

typedef struct demo_ctx {
    db *c;
    demo_rng r;
    uint64_t phone_mul, phone_add, phone_seq;
    int64_t now;
    const char *hash;
    demo_stats *st;
    demo_project p[DEMO_MAXPROJ];
    int np;
    demo_batch rooms, users, residents, links, staff, staff_projects;
} demo_ctx;

/* Skewed towards the front: 王, 李 and 张 (about 7% each) are far commoner than 尹 or 薛. */
static const char *demo_surname(demo_rng *r)
{
    if (demo_rng_pct(r, 0.4)) return demo_surnames[demo_rng_int(r, 0, 9)];
    double u = demo_rng_unit(r);
    return demo_surnames[(int)(u * sqrt(u) * DEMO_N(demo_surnames))];
}

static void demo_name(demo_rng *r, const char *surname, demo_age age, int male, char *out, size_t n)
{
    snprintf(out, n, "%s%s", surname ? surname : demo_surname(r),
             demo_given[age][male ? 1 : 0][demo_rng_int(r, 0, 23)]);
}

/* Unique across the run: the last 8 digits are an affine bijection of a counter
 * modulo 10^8 (phone_mul is coprime to 10), so they look random yet never repeat,
 * whatever the 3-digit prefix. */
static void demo_phone(demo_ctx *x, char out[16])
{
    uint64_t tail = (x->phone_mul * x->phone_seq++ + x->phone_add) % 100000000u;
    snprintf(out, 16, "%s%08" PRIu64, DEMO_PICK(&x->r, demo_mobile), tail);
}

static void demo_tags_json(unsigned tags, char *out, size_t n)
{
    size_t len = (size_t)snprintf(out, n, "[");
    for (int i = 0; i < DEMO_N(demo_tag_names); i++)
        if (tags & (1u << i))
            len += (size_t)snprintf(out + len, n - len, "%s\"%s\"", len > 1 ? "," : "",
                                    demo_tag_names[i]);
    snprintf(out + len, n - len, "]");
}

/* When someone moved in: most at the hand-over (交房) a few weeks after the project
 * went live, the rest spread over the time since. */
static int64_t demo_when(demo_ctx *x, const demo_project *p)
{
    int64_t span = x->now - p->created;
    int64_t early = 90 * DEMO_DAY < span ? 90 * DEMO_DAY : span;
    int64_t off = demo_rng_pct(&x->r, 0.7) ? (int64_t)(demo_rng_unit(&x->r) * (double)early)
                                           : (int64_t)(demo_rng_unit(&x->r) * (double)span);
    return p->created + off;
}

static int demo_staff(demo_ctx *x, const char *username, const char *role, const char *dept,
                      int male, const char *skills, int on_duty, int64_t created, aj_error *err)
{
    char name[32], phone[16];
    demo_name(&x->r, NULL, DEMO_MID, male, name, sizeof name);
    demo_phone(x, phone);
    x->st->staff++;
    return DEMO_ROW(&x->staff, err, DB_TEXT(username), DB_TEXT(x->hash), DB_TEXT(role),
                    DB_TEXT(name), DB_TEXT(phone), DB_TEXT(dept), DB_TEXT(dept), DB_TEXT(skills),
                    DB_INT(on_duty), DB_INT(created), DB_INT(created));
}

static int demo_assign(demo_ctx *x, const char *username, int64_t project_id, aj_error *err)
{
    return DEMO_ROW(&x->staff_projects, err, DB_TEXT(username), DB_INT(project_id));
}

/* Technicians: the first few cover the trades in turn (every project has an 电工
 * and a 水工 to dispatch to), plus up to two more skills each. */
static void demo_skill_json(demo_rng *r, int j, char *out, size_t n)
{
    unsigned have =
        1u << (j < DEMO_N(demo_skills) ? j : demo_rng_int(r, 0, DEMO_N(demo_skills) - 1));
    for (int extra = demo_rng_int(r, 0, 2); extra > 0; extra--)
        have |= 1u << demo_rng_int(r, 0, DEMO_N(demo_skills) - 1);
    size_t len = (size_t)snprintf(out, n, "[");
    for (int i = 0; i < DEMO_N(demo_skills); i++)
        if (have & (1u << i))
            len += (size_t)snprintf(out + len, n - len, "%s\"%s\"", len > 1 ? "," : "",
                                    demo_skills[i]);
    snprintf(out + len, n - len, "]");
}

static int demo_all_staff(demo_ctx *x, aj_error *err)
{
    char user[64], skills[96];
    for (int i = 0; i < x->np; i++) {
        demo_project *p = &x->p[i];
        int64_t hired = p->created - demo_rng_int(&x->r, 10, 60) * (int64_t)DEMO_DAY;
        snprintf(user, sizeof user, "manager_%s", p->lc);
        if (demo_staff(x, user, "manager", "管理处", demo_rng_pct(&x->r, 0.7), "[]", 1, hired, err) ||
            demo_assign(x, user, p->id, err))
            return err->rc;
        for (int t = 0; t < DEMO_N(demo_teams); t++) {
            int n = demo_teams[t].base + p->target / demo_teams[t].rooms_per;
            for (int j = 0; j < n; j++) {
                snprintf(user, sizeof user, "%s_%s_%d", demo_teams[t].prefix, p->lc, j + 1);
                int tech = strcmp(demo_teams[t].role, "technician") == 0;
                if (tech) demo_skill_json(&x->r, j, skills, sizeof skills);
                /* The first of each team is on duty, so a demo dispatch always finds someone. */
                int duty = j == 0 || demo_rng_pct(&x->r, 0.7);
                int64_t at = hired + demo_rng_int(&x->r, 0, 300) * (int64_t)DEMO_DAY;
                if (at > x->now) at = x->now;
                /* Guards, cleaners and gardeners carry their trade as the skill
                 * the categories ask for (秩序, 保洁, 绿化), so automatic dispatch
                 * finds them. */
                const char *trade = !strcmp(demo_teams[t].role, "guard")       ? "[\"秩序\"]"
                                    : !strcmp(demo_teams[t].prefix, "gardener") ? "[\"绿化\"]"
                                    : !strcmp(demo_teams[t].role, "cleaner")   ? "[\"保洁\"]"
                                                                                : "[]";
                if (demo_staff(x, user, demo_teams[t].role, demo_teams[t].dept,
                               demo_rng_pct(&x->r, demo_teams[t].male), tech ? skills : trade, duty,
                               at, err) ||
                    demo_assign(x, user, p->id, err))
                    return err->rc;
            }
        }
    }
    /* 品质部 is company-wide: its inspectors are assigned to every project. */
    int nq = x->np / 3 > 3 ? x->np / 3 : 3;
    for (int j = 0; j < nq; j++) {
        snprintf(user, sizeof user, "quality_%d", j + 1);
        if (demo_staff(x, user, "quality", "品质部", demo_rng_pct(&x->r, 0.5), "[]",
                       demo_rng_pct(&x->r, 0.7), x->p[0].created, err))
            return err->rc;
        for (int i = 0; i < x->np; i++)
            if (demo_assign(x, user, x->p[i].id, err)) return err->rc;
    }
    return 0;
}

static int demo_projects_insert(demo_ctx *x, aj_error *err)
{
    int order[DEMO_N(demo_projects)], places[DEMO_N(demo_places)];
    for (int i = 0; i < DEMO_N(order); i++) order[i] = i;
    for (int i = 0; i < DEMO_N(places); i++) places[i] = i;
    for (int i = DEMO_N(order) - 1; i > 1; i--) { /* order[0] stays 锦绣华庭 */
        int j = demo_rng_int(&x->r, 1, i), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int i = DEMO_N(places) - 1; i > 0; i--) {
        int j = demo_rng_int(&x->r, 0, i), t = places[i];
        places[i] = places[j];
        places[j] = t;
    }
    for (int i = 0; i < x->np; i++) {
        demo_project *p = &x->p[i];
        int k = order[i];
        const char *const *pl = demo_places[places[i % DEMO_N(places)]];
        char addr[160];
        snprintf(addr, sizeof addr, "%s%s%d号", pl[0], pl[1], demo_rng_int(&x->r, 1, 2000));
        p->code = demo_projects[k][1];
        for (size_t j = 0; j <= strlen(p->code); j++)
            p->lc[j] =
                (char)(p->code[j] >= 'A' && p->code[j] <= 'Z' ? p->code[j] + 32 : p->code[j]);
        p->target = demo_rng_int(&x->r, 850, 1100);
        /* Projects went live over the past two years. */
        p->created = x->now - demo_rng_int(&x->r, 400, 730) * (int64_t)DEMO_DAY -
                     demo_rng_int(&x->r, 0, DEMO_DAY - 1);
        if (db_scalar(x->c,
                      "INSERT INTO projects (code, name, address, service_level, timezone,"
                      " calendar_id, active, created_at, updated_at)"
                      " VALUES ($1, $2, $3, $4, 'Asia/Shanghai', 1, 1, $5, $5) RETURNING id",
                      DB_ARGS(DB_TEXT(p->code), DB_TEXT(demo_projects[k][0]), DB_TEXT(addr),
                              DB_INT(demo_rng_int(&x->r, 1, 3)), DB_INT(p->created)),
                      &p->id, err))
            return err->rc;
        x->st->projects++;
    }
    return 0;
}

/* Buildings of three kinds, added until the project reaches its room target:
 * 多层 (6-7 floors), 小高层 (11-18) and 高层 (24-33). Flats of one stack (unit and
 * position on the floor) share a floor plan, so they share an area. */
static int demo_buildings(demo_ctx *x, demo_project *p, aj_error *err)
{
    int total = 0;
    for (int nb = 1; nb <= 20 && (nb <= 10 || total < p->target); nb++) {
        int kind = demo_rng_int(&x->r, 0, 9), floors, units = 2, per = 2, lo = 60, hi = 180;
        if (kind < 3)
            floors = demo_rng_int(&x->r, 6, 7), lo = 70, hi = 130;
        else if (kind < 7)
            floors = demo_rng_int(&x->r, 11, 18), lo = 80, hi = 150;
        else
            floors = demo_rng_int(&x->r, 24, 33), units = demo_rng_int(&x->r, 1, 2),
            per = 6 - 2 * units;
        char name[32], unit[32], number[16];
        snprintf(name, sizeof name, "%d栋", nb);
        int64_t bid;
        if (db_scalar(x->c,
                      "INSERT INTO buildings (project_id, name, floors, active, created_at,"
                      " updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
                      DB_ARGS(DB_INT(p->id), DB_TEXT(name), DB_INT(floors), DB_INT(p->created)),
                      &bid, err))
            return err->rc;
        x->st->buildings++;
        int cents[2][4];
        for (int u = 0; u < units; u++)
            for (int i = 0; i < per; i++) cents[u][i] = demo_rng_int(&x->r, lo * 100, hi * 100);
        for (int u = 0; u < units; u++) {
            snprintf(unit, sizeof unit, "%d单元", u + 1);
            for (int fl = 1; fl <= floors; fl++)
                for (int i = 0; i < per; i++) {
                    snprintf(number, sizeof number, "%d", fl * 100 + i + 1);
                    if (DEMO_ROW(&x->rooms, err, DB_INT(p->id), DB_INT(bid), DB_TEXT(unit),
                                 DB_INT(fl), DB_TEXT(number), DB_REAL(cents[u][i] / 100.0),
                                 DB_INT(p->created), DB_INT(p->created)))
                        return err->rc;
                    total++;
                }
        }
    }
    if (demo_batch_flush(&x->rooms, err)) return err->rc;
    /* Ids follow the VALUES order on both backends; read them back for the residents. */
    p->rooms = malloc((size_t)total * sizeof *p->rooms);
    if (!p->rooms) return aj_fail(err, AJ_EDB, NULL, "out of memory");
    db_rows *rs = db_query(x->c, "SELECT id FROM rooms WHERE project_id = $1 ORDER BY id",
                           DB_ARGS(DB_INT(p->id)), err);
    if (!rs) return err->rc;
    p->nrooms = 0;
    while (db_next(rs) && p->nrooms < total) p->rooms[p->nrooms++] = db_int(rs, 0);
    if (db_end(rs, err)) return err->rc;
    if (p->nrooms != total) return aj_fail(err, AJ_EDB, NULL, "demo: rooms read back short");
    x->st->rooms += total;
    return 0;
}

/* One resident: a users row (username = phone), the residents row and the room. */
static int demo_person(demo_ctx *x, demo_project *p, int64_t room, int64_t at, const char *kind,
                       const char *surname, demo_age age, int male, unsigned tags, char phone[16],
                       aj_error *err)
{
    demo_rng *r = &x->r;
    if (age == DEMO_OLD) tags |= TAG_ELDERLY;
    if (demo_rng_pct(r, 0.012)) tags |= TAG_DISABLED;
    if (age == DEMO_MID && !male && strcmp(kind, "tenant") != 0 && demo_rng_pct(r, 0.03))
        tags |= TAG_PREGNANT;
    if (strcmp(kind, "owner") == 0 && demo_rng_pct(r, 0.03)) tags |= TAG_VIP;
    if (((tags & TAG_DISABLED) ||
         (tags & (TAG_ELDERLY | TAG_ALONE)) == (TAG_ELDERLY | TAG_ALONE)) &&
        demo_rng_pct(r, 0.6))
        tags |= TAG_KEY_CARE;
    char name[32], tj[96];
    demo_name(r, surname, age, male, name, sizeof name);
    demo_phone(x, phone);
    demo_tags_json(tags, tj, sizeof tj);
    /* The first resident of each project can log in with the demo password; the
     * rest log in by SMS code, as real residents do. */
    const char *hash = p->hashed ? NULL : x->hash;
    p->hashed = 1;
    x->st->residents++;
    if (DEMO_ROW(&x->users, err, DB_TEXT(phone), DB_TEXT(hash), DB_TEXT(name), DB_TEXT(phone),
                 DB_INT(at), DB_INT(at)) ||
        DEMO_ROW(&x->residents, err, DB_TEXT(phone), DB_INT(p->id), DB_TEXT(name), DB_TEXT(phone),
                 DB_TEXT(kind), DB_TEXT(tj), DB_INT(at), DB_INT(at)) ||
        DEMO_ROW(&x->links, err, DB_TEXT(phone), DB_INT(room)))
        return err->rc;
    return 0;
}

/* Who lives in each room: about 8% stand empty, 10% are let to tenants (the owner
 * often registered too, sometimes an owner who lives in another flat here), the
 * rest are lived in by the owner, alone or with a spouse, a child or a parent. */
static int demo_residents(demo_ctx *x, demo_project *p, aj_error *err)
{
    demo_rng *r = &x->r;
    char phone[16], second[16] = "";
    for (int k = 0; k < p->nrooms; k++) {
        int64_t room = p->rooms[k], at = demo_when(x, p); /* a household moves in together */
        if (demo_rng_pct(r, 0.08)) continue;
        if (demo_rng_pct(r, 0.10)) {
            if (demo_rng_pct(r, 0.6)) {
                if (second[0] && demo_rng_pct(r, 0.25)) {
                    if (DEMO_ROW(&x->links, err, DB_TEXT(second), DB_INT(room))) return err->rc;
                    second[0] = 0; /* two flats each at most */
                } else if (demo_person(x, p, room, at, "owner", NULL, DEMO_MID,
                                       demo_rng_pct(r, 0.55), 0, phone, err))
                    return err->rc;
            }
            for (int t = demo_rng_pct(r, 0.65) ? 1 : 2; t > 0; t--)
                if (demo_person(x, p, room, at, "tenant", NULL,
                                demo_rng_pct(r, 0.3) ? DEMO_YOUNG : DEMO_MID, demo_rng_pct(r, 0.5),
                                0, phone, err))
                    return err->rc;
            continue;
        }
        double u = demo_rng_unit(r);
        int fam = u < 0.64 ? 0 : u < 0.94 ? 1 : 2, male = demo_rng_pct(r, 0.55);
        demo_age age = DEMO_MID;
        unsigned tags = 0;
        if (fam == 0 && demo_rng_pct(r, 0.08))
            age = DEMO_OLD, tags = TAG_ALONE; /* 空巢老人 */
        else if (demo_rng_pct(r, 0.03))
            age = DEMO_OLD;
        const char *sur = demo_surname(r);
        if (demo_person(x, p, room, at, "owner", sur, age, male, tags, phone, err)) return err->rc;
        memcpy(second, phone, sizeof second);
        for (int f = 0; f < fam; f++) {
            int role = demo_rng_int(r, 0, 99), ok;
            if (age == DEMO_OLD) /* an old couple, or a grown-up child looking after them */
                ok = role < 70 ? demo_person(x, p, room, at, "family", NULL, DEMO_OLD, !male, 0,
                                             phone, err)
                               : demo_person(x, p, room, at, "family", sur, DEMO_MID,
                                             demo_rng_pct(r, 0.5), 0, phone, err);
            else if (role < 65)
                ok = demo_person(x, p, room, at, "family", NULL, DEMO_MID, !male, 0, phone, err);
            else if (role < 88)
                ok = demo_person(x, p, room, at, "family", sur, DEMO_YOUNG, demo_rng_pct(r, 0.5),
                                 TAG_CHILD, phone, err);
            else
                ok = demo_person(x, p, room, at, "family", sur, DEMO_OLD, demo_rng_pct(r, 0.5), 0,
                                 phone, err);
            if (ok) return err->rc;
        }
    }
    return 0;
}

int demo_project_ids(db *c, int64_t *ids, int *n, aj_error *err)
{
    *n = 0;
    db_rows *r = db_query(c, "SELECT id FROM projects ORDER BY id", DB_NOARGS, err);
    if (!r) return err->rc;
    while (db_next(r) && *n < DEMO_MAX_PROJECTS) ids[(*n)++] = db_int(r, 0);
    return db_end(r, err) ? err->rc : 0;
}

int demo_run(db *c, uint64_t seed, demo_scale scale, const char *password, const char *data_dir,
             demo_stats *st, aj_error *err)
{
    static const char *const scale_names[] = {"small", "medium", "large"};
    static const int scale_projects[] = {3, 10, 30};
    demo_stats local;
    if (!st) st = &local;
    memset(st, 0, sizeof *st);
    if ((int)scale < 0 || (int)scale > 2) return aj_fail(err, AJ_EINVAL, "scale", "未知的规模");
    if (password_check_rules(password, err)) return err->rc;
    /* ONE argon2id hash for every demo account that has a password: argon2id costs
     * ~0.1 s and 19 MiB by design, so hashing hundreds of staff one by one would take
     * minutes. They share the password anyway; a real account's hash is its own. */
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash, err)) return err->rc;

    demo_ctx *x = calloc(1, sizeof *x); /* ~60 KB of batches: not on the stack */
    if (!x) return aj_fail(err, AJ_EDB, NULL, "out of memory");
    x->c = c;
    x->r.s = seed;
    x->hash = hash;
    x->st = st;
    x->np = scale_projects[scale];
    /* Truncated to the day: two runs on the same day give the same rows, times included. */
    x->now = clock_now() / DEMO_DAY * DEMO_DAY;
    x->phone_mul = (uint64_t)demo_rng_int(&x->r, 1000000, 49999999) * 2 + 1;
    if (x->phone_mul % 5 == 0) x->phone_mul += 2;
    x->phone_add = (uint64_t)demo_rng_int(&x->r, 0, 99999999);
    demo_batch_init(&x->rooms, c,
                    "INSERT INTO rooms (project_id, building_id, unit, floor, number, area_m2,"
                    " active, created_at, updated_at) VALUES ",
                    "(?, ?, ?, ?, ?, ?, 1, ?, ?)", NULL);
    demo_batch_init(&x->users, c,
                    "INSERT INTO users (username, password_hash, role, name, phone, department,"
                    " skills, on_duty, active, created_at, updated_at) VALUES ",
                    "(?, ?, 'resident', ?, ?, '', '[]', 0, 1, ?, ?)", NULL);
    demo_batch_init(&x->residents, c,
                    "INSERT INTO residents (user_id, project_id, name, phone, kind, tags, active,"
                    " created_at, updated_at) VALUES ",
                    "((SELECT id FROM users WHERE username = ?), ?, ?, ?, ?, ?, 1, ?, ?)",
                    &x->users);
    demo_batch_init(&x->links, c, "INSERT INTO resident_rooms (resident_id, room_id) VALUES ",
                    "((SELECT id FROM residents WHERE phone = ?), ?)", &x->residents);
    demo_batch_init(&x->staff, c,
                    "INSERT INTO users (username, password_hash, role, name, phone, department,"
                    " department_id, skills, on_duty, active, created_at, updated_at) VALUES ",
                    /* the seeded departments (011_departments.sql), by name */
                    "(?, ?, ?, ?, ?, ?, (SELECT id FROM departments WHERE name = ? AND active = 1),"
                    " ?, ?, 1, ?, ?)",
                    NULL);
    demo_batch_init(&x->staff_projects, c,
                    "INSERT INTO staff_projects (user_id, project_id) VALUES ",
                    "((SELECT id FROM users WHERE username = ?), ?)", &x->staff);

    int64_t n = 0;
    int rc = db_begin(c, err);
    if (rc) goto out;
    if (db_scalar(c, "SELECT COUNT(*) FROM projects", DB_NOARGS, &n, err)) goto fail;
    if (n > 0) {
        aj_fail(err, AJ_ECONFLICT, NULL, "数据库中已有项目，演示数据只能导入空库");
        goto fail;
    }
    if (demo_projects_insert(x, err) || demo_all_staff(x, err) ||
        demo_batch_flush(&x->staff_projects, err))
        goto fail;
    for (int i = 0; i < x->np; i++)
        if (demo_buildings(x, &x->p[i], err) || demo_residents(x, &x->p[i], err)) goto fail;
    if (demo_batch_flush(&x->links, err)) goto fail;
    /* -- tickets (demo_tickets.c) -- */
    static const int scale_tickets[] = {30000, 200000, 1000000};
    if (demo_tickets_run(c, seed, clock_now(), scale_tickets[scale], st, err)) goto fail;
    /* -- scheduled work (demo_work.c) -- */
    if (demo_work_run(c, clock_now(), data_dir, st, err)) goto fail;
    /* -- patrols (demo_patrol.c) -- */
    if (demo_patrol_run(c, clock_now(), st, err)) goto fail;
    /* -- inspections (demo_quality.c) -- */
    if (demo_quality_run(c, clock_now(), st, err)) goto fail;
    /* -- surveys (demo_voice.c) -- */
    if (demo_voice_run(c, clock_now(), st, err)) goto fail;
    /* -- meetings and mystery visits (demo_meeting.c) -- */
    if (demo_meeting_run(c, clock_now(), st, err)) goto fail;

    json_t *ch = json_object();
    char big[24]; /* JSON integers are signed 64-bit: a larger seed goes as text */
    snprintf(big, sizeof big, "%" PRIu64, seed);
    json_object_set_new(ch, "seed",
                        seed <= INT64_MAX ? json_integer((json_int_t)seed) : json_string(big));
    json_object_set_new(ch, "scale", json_string(scale_names[scale]));
    json_object_set_new(ch, "projects", json_integer(st->projects));
    json_object_set_new(ch, "buildings", json_integer(st->buildings));
    json_object_set_new(ch, "rooms", json_integer(st->rooms));
    json_object_set_new(ch, "residents", json_integer(st->residents));
    json_object_set_new(ch, "staff", json_integer(st->staff));
    json_object_set_new(ch, "tickets", json_integer(st->tickets));
    json_object_set_new(ch, "plans", json_integer(st->plans));
    json_object_set_new(ch, "tasks", json_integer(st->tasks));
    json_object_set_new(ch, "rectifications", json_integer(st->rectifications));
    json_object_set_new(ch, "surveys", json_integer(st->surveys));
    json_object_set_new(ch, "meetings", json_integer(st->meetings));
    json_object_set_new(ch, "mystery_visits", json_integer(st->mystery_visits));
    actor sys = actor_system("demo");
    rc = audit_append(c, &sys, "demo", "database", 0, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    goto out;
fail:
    rc = err->rc;
    db_rollback(c);
    memset(st, 0, sizeof *st);
out:
    for (int i = 0; i < x->np; i++) free(x->p[i].rooms);
    free(x);
    sodium_memzero(hash, sizeof hash);
    return rc;
}
