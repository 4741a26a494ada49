/*
 * gen-roster: a deterministic roster of a municipal People's Congress, as a
 * CSV an office would keep: Han names, posts, work units, delegations by
 * district, grids and liaison stations, unique mobile numbers, some e-mails,
 * and the odd field that needs RFC 4180 quoting. The demo and the
 * benchmarks use it; the same arguments always give the same bytes.
 *
 * usage: gen-roster [--seed N] [--count N] [--with-codes] [--prefix RZ]
 *                   [--width 4] [--bom] [--chinese-headers] [--crlf]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
	"叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
};

static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏",
	"辉", "建", "国", "志", "文", "海", "波", "宁", "晓", "燕", "春", "梅", "立", "新",
	"东", "峰", "斌", "琳", "颖", "凯", "浩", "宇", "欣", "然", "鑫", "佳", "思", "雪",
	"成", "德", "民", "庆",
};

static const char *const posts[] = {
	"村党支部书记", "社区居委会主任", "企业董事长", "医院院长", "中学教师", "律师事务所主任",
	"农民专业合作社理事长", "镇党委书记", "高级工程师", "农民", "个体工商户", "街道办事处主任",
	"小学校长", "渔业合作社社长", "港口集团职工", "科技公司总经理", "乡村医生", "环卫工人",
};

/* districts, with how many of every 20 deputies come from each, and their
 * towns and streets */
static const struct {
	const char *name;
	int weight;
	const char *streets[4];
} districts[] = {
	{ "东港区", 7, { "秦楼街道", "日照街道", "石臼街道", "河山镇" } },
	{ "岚山区", 3, { "岚山头街道", "安东卫街道", "虎山镇", "巨峰镇" } },
	{ "莒县", 4, { "城阳街道", "店子集街道", "陵阳街道", "夏庄镇" } },
	{ "五莲县", 3, { "洪凝街道", "街头镇", "潮河镇", "许孟镇" } },
	{ "日照经济技术开发区", 2, { "奎山街道", "北京路街道", "卧龙山街道", "奎山街道" } },
	{ "山海天旅游度假区", 1, { "两城街道", "卧龙山街道", "两城街道", "卧龙山街道" } },
};

static const char *const unit_kinds[] = {
	"社区居委会", "村委会", "中学", "人民医院", "卫生院", "供销社", "农业发展有限公司",
	"港务有限公司", "水产有限公司", "建筑工程有限公司", "小学", "派出所",
};

static const char *const header_en = "code,name,gender,post,unit,delegation,grid,station,phone,email";
static const char *const header_zh = "编号,姓名,性别,职务,工作单位,代表团,负责网格,联络站,联系电话,邮箱";

/* splitmix64: small, fast and the same on every machine */
static uint64_t rng_state;

static uint64_t next_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return next_random() % n;
}

#define PICK(a) (a[below(sizeof(a) / sizeof(a[0]))])

/* A field as RFC 4180 wants it: quoted, with quotes doubled, when it holds
 * a comma, a quote or a line break. */
static void put_field(const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static int usage(void)
{
	fputs("usage: gen-roster [--seed N] [--count N] [--with-codes] [--prefix RZ] [--width 4]\n"
	      "                  [--bom] [--chinese-headers] [--crlf]\n",
	      stderr);
	return 2;
}

static int number_arg(const char *s, long long min, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min)
		return 0;
	*out = v;
	return 1;
}

static size_t district_of(void)
{
	int total = 0, r;

	for (size_t i = 0; i < sizeof(districts) / sizeof(districts[0]); i++)
		total += districts[i].weight;
	r = (int)below((uint64_t)total);
	for (size_t i = 0; i < sizeof(districts) / sizeof(districts[0]); i++) {
		if (r < districts[i].weight)
			return i;
		r -= districts[i].weight;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 20];
	long long seed = 1, count = 340, width = 4;
	const char *prefix = "RZ", *eol = "\n";
	int with_codes = 0, bom = 0, zh = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--with-codes")) {
			with_codes = 1;
		} else if (!strcmp(a, "--bom")) {
			bom = 1;
		} else if (!strcmp(a, "--chinese-headers")) {
			zh = 1;
		} else if (!strcmp(a, "--crlf")) {
			eol = "\r\n";
		} else if (!strcmp(a, "--seed") && v && number_arg(v, 0, &seed)) {
			i++;
		} else if (!strcmp(a, "--count") && v && number_arg(v, 0, &count)) {
			i++;
		} else if (!strcmp(a, "--width") && v && number_arg(v, 1, &width) && width <= 9) {
			i++;
		} else if (!strcmp(a, "--prefix") && v && *v) {
			prefix = v;
			i++;
		} else {
			return usage();
		}
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	rng_state = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 1;
	if (bom)
		fputs("\xef\xbb\xbf", stdout);
	fputs(zh ? header_zh : header_en, stdout);
	fputs(eol, stdout);
	for (long long n = 1; n <= count; n++) {
		char name[32], unit[160], post[96], grid[96], station[96], phone[32], email[48];
		size_t d = district_of();
		const char *district = districts[d].name;
		const char *street = PICK(districts[d].streets);

		if (with_codes)
			printf("%s%0*lld", prefix, (int)width, n);
		putchar(',');
		snprintf(name, sizeof(name), "%s%s%s", PICK(surnames), PICK(given), below(3) ? PICK(given) : "");
		put_field(name);
		fputs(below(10) < 3 ? ",女," : ",男,", stdout);
		if (below(200) == 0)
			snprintf(post, sizeof(post), "获\"劳动模范\"称号的%s", PICK(posts));
		else
			snprintf(post, sizeof(post), "%s", PICK(posts));
		put_field(post);
		putchar(',');
		if (below(100) == 0)
			snprintf(unit, sizeof(unit), "日照市%s%s%s,第二分公司", district, street, PICK(unit_kinds));
		else
			snprintf(unit, sizeof(unit), "日照市%s%s%s", district, street, PICK(unit_kinds));
		put_field(unit);
		snprintf(grid, sizeof(grid), "%s第%d网格", street, (int)below(30) + 1);
		snprintf(station, sizeof(station), "%s人大代表联络站", street);
		printf(",%s代表团,%s,%s,", district, grid, station);
		/* unique: the row number spread over the eight digits after 13x-19x */
		snprintf(phone, sizeof(phone), "1%c%d%08lld", "3578"[below(4)], (int)below(10),
		         (n * 7919 + seed) % 100000000);
		fputs(phone, stdout);
		putchar(',');
		if (below(10) < 6) {
			snprintf(email, sizeof(email), "rz%06lld@example.cn", n);
			fputs(email, stdout);
		}
		fputs(eol, stdout);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-roster: writing the roster");
		return 1;
	}
	return 0;
}
