/* domain/assets/equipment_templates.c: the PM plans each class of equipment ships with
 * (维保模板) — the seeds' promises (elevators monthly, fire systems quarterly, water and
 * power monthly, tanks cleaned twice a year) and common practice (the 15-day lift
 * maintenance many cities require under TSG T5002, a generator's monthly test run, the
 * monthly fire-facility check of GB 25201). A template is applied to a project: it becomes
 * an ordinary plan on the engine, over the project's equipment of its class, which the
 * company may then change like any other plan. The demo company's PM plans come from here
 * too, so what a newcomer sees is what the product ships. */
#include <string.h>

#include "domain/assets/assets.h"
#include "domain/work/work.h"

/* Checklists as the API takes them (plan_create normalises and checks them). */
static const equipment_template equipment_templates[] = {
    {"elevator_monthly", "elevator", NULL, "电梯月度维保", "Elevator monthly maintenance",
     "FREQ=MONTHLY;BYMONTHDAY=10;BYHOUR=9;BYMINUTE=0", 10080, "technician", "电梯",
     "[{\"key\":\"brake\",\"label\":\"制动器动作灵活、间隙符合要求\",\"type\":\"check\"},"
     "{\"key\":\"door\",\"label\":\"层门、轿门门锁电气联锁有效\",\"type\":\"check\"},"
     "{\"key\":\"alarm\",\"label\":\"轿厢紧急报警装置、对讲正常\",\"type\":\"check\"},"
     "{\"key\":\"light\",\"label\":\"轿厢照明、风扇、应急照明正常\",\"type\":\"check\"},"
     "{\"key\":\"rope\",\"label\":\"曳引钢丝绳磨损（%）\",\"type\":\"number\",\"min\":0,\"max\":10},"
     "{\"key\":\"photo\",\"label\":\"维保记录签字照片\",\"type\":\"photo\",\"required\":false}]"},
    {"elevator_half_month", "elevator", NULL, "电梯半月维保", "Elevator 15-day maintenance",
     "FREQ=MONTHLY;BYMONTHDAY=1,16;BYHOUR=9;BYMINUTE=0", 4320, "technician", "电梯",
     "[{\"key\":\"machine_room\",\"label\":\"机房环境、通风照明及消防器材\",\"type\":\"check\"},"
     "{\"key\":\"brake\",\"label\":\"制动器动作灵活、间隙符合要求\",\"type\":\"check\"},"
     "{\"key\":\"door\",\"label\":\"层门、轿门门锁电气联锁有效\",\"type\":\"check\"},"
     "{\"key\":\"leveling\",\"label\":\"平层准确度（mm）\",\"type\":\"number\",\"min\":-10,\"max\":10},"
     "{\"key\":\"alarm\",\"label\":\"轿厢紧急报警装置、对讲正常\",\"type\":\"check\"},"
     "{\"key\":\"pit\",\"label\":\"底坑环境、急停开关有效\",\"type\":\"check\"}]"},
    {"fire_quarterly", "fire", NULL, "消防设施季度检查", "Fire systems quarterly check",
     "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5;BYHOUR=9;BYMINUTE=0", 10080, "technician", "消防",
     "[{\"key\":\"pressure\",\"label\":\"消防管网水压（MPa）\",\"type\":\"number\",\"min\":0.1,\"max\":1.2},"
     "{\"key\":\"panel\",\"label\":\"火灾报警控制器自检、主备电切换\",\"type\":\"check\"},"
     "{\"key\":\"pump\",\"label\":\"消防水泵手动/自动启动\",\"type\":\"check\"},"
     "{\"key\":\"hydrant\",\"label\":\"消火栓箱配件齐全\",\"type\":\"check\"},"
     "{\"key\":\"detector\",\"label\":\"抽检烟感、温感报警正常\",\"type\":\"check\"}]"},
    {"fire_monthly", "fire", NULL, "消防设施月度检查", "Fire systems monthly check",
     "FREQ=MONTHLY;BYMONTHDAY=5;BYHOUR=9;BYMINUTE=0", 10080, "technician", "消防",
     "[{\"key\":\"pressure\",\"label\":\"消防管网水压（MPa）\",\"type\":\"number\",\"min\":0.1,\"max\":1.2},"
     "{\"key\":\"panel\",\"label\":\"火灾报警控制器运行正常\",\"type\":\"check\"},"
     "{\"key\":\"exit\",\"label\":\"疏散指示、应急照明完好\",\"type\":\"check\"}]"},
    {"water_monthly", "water", NULL, "给水设备月度维保", "Water supply monthly maintenance",
     "FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0", 10080, "technician", "给排水",
     "[{\"key\":\"pressure\",\"label\":\"出水压力（MPa）\",\"type\":\"number\",\"min\":0.15,\"max\":0.8},"
     "{\"key\":\"noise\",\"label\":\"水泵运行无异响、无渗漏\",\"type\":\"check\"},"
     "{\"key\":\"control\",\"label\":\"变频控制柜指示正常\",\"type\":\"check\"}]"},
    {"water_tank_cleaning", "water", "水箱", "二次供水水箱清洗消毒", "Water tank cleaning",
     "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0", 10080, "technician", "给排水",
     "[{\"key\":\"clean\",\"label\":\"水箱清洗消毒完成\",\"type\":\"check\"},"
     "{\"key\":\"report\",\"label\":\"水质检测报告合格\",\"type\":\"check\"},"
     "{\"key\":\"photo\",\"label\":\"清洗后水箱照片\",\"type\":\"photo\",\"required\":false}]"},
    {"power_monthly", "power", NULL, "供配电设备月检", "Power distribution monthly check",
     "FREQ=MONTHLY;BYMONTHDAY=20;BYHOUR=9;BYMINUTE=0", 10080, "technician", "水电",
     "[{\"key\":\"temp\",\"label\":\"配电房温度（℃）\",\"type\":\"number\",\"min\":5,\"max\":35},"
     "{\"key\":\"switch\",\"label\":\"开关柜指示、仪表正常\",\"type\":\"check\"},"
     "{\"key\":\"smell\",\"label\":\"无异味、异响、过热痕迹\",\"type\":\"check\"}]"},
    {"generator_monthly", "power", "发电机", "发电机月度试运行", "Generator monthly test run",
     "FREQ=MONTHLY;BYMONTHDAY=25;BYHOUR=10;BYMINUTE=0", 4320, "technician", "水电",
     "[{\"key\":\"start\",\"label\":\"启动正常（空载运行不少于15分钟）\",\"type\":\"check\"},"
     "{\"key\":\"fuel\",\"label\":\"燃油储量（%）\",\"type\":\"number\",\"min\":60,\"max\":100},"
     "{\"key\":\"battery\",\"label\":\"蓄电池电压（V）\",\"type\":\"number\",\"min\":24,\"max\":28.8}]"},
    {"hvac_quarterly", "hvac", NULL, "空调主机季度保养", "HVAC quarterly service",
     "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=12;BYHOUR=9;BYMINUTE=0", 10080, "technician", "水电",
     "[{\"key\":\"filter\",\"label\":\"过滤网清洗\",\"type\":\"check\"},"
     "{\"key\":\"run\",\"label\":\"运行电流、压力正常\",\"type\":\"check\"}]"},
    {"access_monthly", "access", NULL, "门禁设备月检", "Access control monthly check",
     "FREQ=MONTHLY;BYMONTHDAY=8;BYHOUR=10;BYMINUTE=0", 10080, "technician", "秩序安全",
     "[{\"key\":\"open\",\"label\":\"刷卡/人脸开门正常\",\"type\":\"check\"},"
     "{\"key\":\"close\",\"label\":\"闭门器、电磁锁正常\",\"type\":\"check\"}]"},
    {"cctv_monthly", "cctv", NULL, "监控系统月检", "CCTV monthly check",
     "FREQ=MONTHLY;BYMONTHDAY=8;BYHOUR=14;BYMINUTE=0", 10080, "technician", "秩序安全",
     "[{\"key\":\"image\",\"label\":\"画面清晰、无遮挡\",\"type\":\"check\"},"
     "{\"key\":\"record\",\"label\":\"录像保存天数（天）\",\"type\":\"number\",\"min\":30,\"max\":365}]"},
    {"lighting_monthly", "lighting", NULL, "公共照明月检", "Public lighting monthly check",
     "FREQ=MONTHLY;BYMONTHDAY=3;BYHOUR=19;BYMINUTE=0", 4320, "technician", "公共照明",
     "[{\"key\":\"lamps\",\"label\":\"灯具完好、无长明灯\",\"type\":\"check\"},"
     "{\"key\":\"timer\",\"label\":\"时控、光控开关设定正确\",\"type\":\"check\"}]"},
};
#define EQUIPMENT_NTEMPLATES (sizeof equipment_templates / sizeof equipment_templates[0])

void equipment_templates_all(const equipment_template **items, size_t *n)
{
    *items = equipment_templates;
    *n = EQUIPMENT_NTEMPLATES;
}

const equipment_template *equipment_templates_find(const char *key)
{
    for (size_t i = 0; key && i < EQUIPMENT_NTEMPLATES; i++)
        if (!strcmp(equipment_templates[i].key, key)) return &equipment_templates[i];
    return NULL;
}

int equipment_templates_units(db *c, const equipment_template *t, int64_t project_id, arena *a,
                              int64_t **ids, size_t *n, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT id FROM equipment WHERE project_id = $1 AND class = $2"
                          " AND status <> 'retired' AND ($3 = '' OR name LIKE '%' || $3 || '%')"
                          " ORDER BY id",
                          DB_ARGS(DB_INT(project_id), DB_TEXT(t->cls),
                                  DB_TEXT(t->name_has ? t->name_has : "")),
                          err);
    if (!r) return err->rc;
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    while (db_next(r) && *n < PLAN_MAX_EQUIPMENT) {
        *ids = arena_grow(a, *ids, *n, &cap, sizeof **ids);
        (*ids)[(*n)++] = db_int(r, 0);
    }
    return db_end(r, err) ? err->rc : 0;
}

int equipment_templates_apply(db *c, const actor *who, const equipment_template_use *use,
                              arena *a, plan *out, aj_error *err)
{
    const equipment_template *t = equipment_templates_find(use->key);
    if (!t) return aj_fail(err, AJ_ENOTFOUND, NULL, "没有这个维保模板");
    /* the project first, so a list of its equipment tells nothing to one who may not see it */
    if (actor_can_see_project(c, who, use->project_id, err)) return err->rc;
    plan_input in = {0};
    in.project_id = use->project_id;
    in.kind = "pm";
    in.title = use->title ? use->title : t->title;
    in.rrule = t->rrule;
    in.window_minutes = t->window_minutes;
    in.has_window = 1;
    in.category = t->category;
    in.dtstart = use->dtstart;
    in.has_dtstart = use->dtstart != 0;
    in.equipment_ids = use->equipment_ids;
    in.nequipment = use->nequipment;
    in.has_equipment = 1;
    /* without a list: every unit of the class the project runs (that is not retired) */
    if (!use->has_equipment &&
        equipment_templates_units(c, t, use->project_id, a, &in.equipment_ids, &in.nequipment, err))
        return err->rc;
    if (!in.nequipment)
        return aj_fail(err, AJ_EINVAL, "equipment_ids", "该项目没有可用于此模板的设备");
    json_t *assign = use->assign ? json_incref(use->assign) : json_pack("{s:s}", "role", t->role);
    json_t *checklist = json_loads(t->checklist, 0, NULL);
    in.assign = assign;
    in.checklist = checklist;
    int rc = plan_create(c, who, &in, a, out, err);
    json_decref(assign);
    json_decref(checklist);
    return rc;
}
