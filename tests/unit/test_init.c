/* billaudit init: names of services drafted from bill items (rules/data/profile-names.tsv). */
#include "init.h"
#include "unit.h"
#include <stdlib.h>

static void check_name(int *unit_failed, const char *item, const char *want)
{
    char *got = init_clean_name(item);
    CHECK_STR(got, want);
    free(got);
}
#define NAME(item, want) check_name(unit_failed, item, want)

TEST(init_clean_name_wrappers)
{
    NAME("套餐月基本费（5G融合套餐19元）", "5G融合套餐19元");
    NAME("套餐月基本费(4G飞享套餐58元)", "4G飞享套餐58元");
    NAME("5G融合套餐19元（月基本费）", "5G融合套餐19元");
    NAME("月租费（ 畅享套餐 ）", "畅享套餐");
    /* Parentheses that are part of the name stay. */
    NAME("游戏点卡包月(某某网络科技有限公司)", "游戏点卡包月(某某网络科技有限公司)");
}

TEST(init_clean_name_suffixes)
{
    NAME("电信光宽带200M月租费", "电信光宽带200M");
    NAME("联通宽带300M月使用费", "联通宽带300M");
    NAME("冰激凌套餐59元月基本费", "冰激凌套餐59元");
    NAME("4G飞享套餐58元", "4G飞享套餐58元");
    /* Nothing left but a fee word: the item stays as it is. */
    NAME("月租费", "月租费");
    NAME("宽月租费", "宽月租费");
    NAME("", "");
}

TEST(init_operator_names)
{
    CHECK_STR(init_operator_id("中国电信"), "china-telecom");
    CHECK_STR(init_operator_id("联通"), "china-unicom");
    CHECK_STR(init_operator_id("china-mobile"), "china-mobile");
    CHECK(init_operator_id("某某科技") == NULL);
    CHECK(init_operator_id(NULL) == NULL);
    CHECK_STR(init_operator_label("china-telecom"), "中国电信");
}
