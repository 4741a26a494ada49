/* Unit tests of the checks of outside text (lib/validate.c). */
#include "testutil.h"
#include "internal.h"

static void test_utf8(void **state)
{
	(void)state;
	assert_true(dt__utf8_valid("", 0));
	assert_true(dt__utf8_valid("张三 abc", strlen("张三 abc")));
	assert_true(dt__utf8_valid("\xf0\x9f\x98\x80", 4));     /* U+1F600 */
	assert_false(dt__utf8_valid("\xc0\xaf", 2));            /* overlong '/' */
	assert_false(dt__utf8_valid("\xed\xa0\x80", 3));        /* surrogate */
	assert_false(dt__utf8_valid("\xe5\xbc", 2));            /* cut short */
	assert_false(dt__utf8_valid("\xf4\x90\x80\x80", 4));    /* beyond U+10FFFF */
	assert_false(dt__utf8_valid("\xd5\xc5\xc8\xfd", 4));    /* GBK 张三 */
}

static void test_phone(void **state)
{
	(void)state;
	assert_true(dt__phone_valid("13712340743"));
	assert_true(dt__phone_valid("+8613712340743"));
	assert_true(dt__phone_valid("8613712340743"));
	assert_true(dt__phone_valid("137-1234-0743"));
	assert_true(dt__phone_valid("0633-8781234"));
	assert_true(dt__phone_valid("010 12345678"));
	assert_false(dt__phone_valid("12x45"));
	assert_false(dt__phone_valid("1371234074"));
	assert_false(dt__phone_valid("23712340743"));
	assert_false(dt__phone_valid("+1 555 0100"));
	assert_false(dt__phone_valid("633-8781234"));
	assert_false(dt__phone_valid(""));
}

static void test_email(void **state)
{
	(void)state;
	assert_true(dt__email_valid("rz000001@example.cn"));
	assert_true(dt__email_valid("a.b+c@mail.rizhao.gov.cn"));
	assert_false(dt__email_valid("a@b"));
	assert_false(dt__email_valid("@b.cn"));
	assert_false(dt__email_valid("a@@b.cn"));
	assert_false(dt__email_valid("a b@c.cn"));
	assert_false(dt__email_valid("a@b..cn"));
	assert_false(dt__email_valid("a@.cn"));
	assert_false(dt__email_valid("a@b.cn\r\nBcc: x@y.cn"));
	assert_false(dt__email_valid("张@例子.cn"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
