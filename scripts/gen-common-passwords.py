#!/usr/bin/env python3
"""Writes casework/data/common_passwords.txt, the list of common passwords that
casework/password_policy.cpp refuses (embedded into the binary at build time).

Only passwords of at least 12 characters matter (shorter ones are refused anyway), so the list is
the long entries that analyses of public breach corpora keep finding near the top (English and
Chinese users: keyboard walks, digit runs, "woaini1314", "password1234", ...), a few hand-picked,
and common base words -- including this domain's own (12338, weiquan, fulian, hotline) -- with the
suffixes people add to reach a length rule. Written for this project; no third-party list is copied.
Lower-case, one per line, sorted; the policy compares case-insensitively.

  scripts/gen-common-passwords.py > casework/data/common_passwords.txt
"""
import itertools

MIN = 12

KNOWN = """
123456789012 1234567890123 12345678901234 123456789012345 1234567890qwe 1234567890qwerty
123456789123 123456789abc 123456789qwe 123456789aaa 123456789asd 123456789zxc 123123123123
123412341234 123451234512345 112233445566 111222333444 121212121212 123321123321 147258369147
147258369123 159357159357 147852369147 741852963741 789456123789 987654321987 0123456789012
qwertyuiop12 qwertyuiop123 qwertyuiop1234 qwertyuiopasdf qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm
qwerty123456 qwerty1234567 qwerty12345678 qwertyqwerty qwertyuiop!@ 1qaz2wsx3edc 1qaz2wsx3edc4rfv
1qaz@wsx3edc 1qaz!qaz1qaz 1q2w3e4r5t6y 1q2w3e4r5t6y7u 1q2w3e4r5t6y7u8i 1q2w3e4r5t 1q2w3e4r5t6y7u8i9o0p
zaq12wsxcde3 zaq1zaq1zaq1 zaq1xsw2cde3 qazwsxedcrfv qazwsxedcrfvtgb qazwsxedc123 qazwsx123456
asdfghjkl123 asdfghjklqwe asdfghjkl;' asdf1234asdf zxcvbnm12345 zxcvbnm123456 zxcvbnmasdfghjkl
1234qwerasdf 1234qwerasdfzxcv qwer1234qwer qwerasdfzxcv qweasdzxc123 qweqweqweqwe asdasdasdasd
passwordpassword password1234 password12345 password123456 password1234567 password!234 passw0rd1234
p@ssw0rd1234 p@ssword1234 p@ssw0rd123456 passw0rd123456 mypassword123 mypassword1234 password2020
iloveyou1234 iloveyou12345 iloveyou123456 iloveyouforever iloveyoubaby iloveyou1314 iloveyou520
administrator administrator1 administrator123 admin1234567 admin12345678 admin123456789 adminadmin123
letmein12345 letmein123456 welcome12345 welcome123456 welcome12345678 changeme1234 changeme123456
abcdefghijkl abcdefghijklmn abcdefghijklmnop abcd12345678 abcd1234abcd abc123456789 abc123abc123
a1b2c3d4e5f6 a1b2c3d4e5f6g7 aa123456789 aa1234567890 aa12345678910 qq123456789 qq1234567890
a123456789012 a12345678910 abc12345678910 1234567890abc 12345678910abc woaini1314520 woaini5201314
woaini520520 woaini1314521 woainiwoaini woainiyongyuan woaiwojia123 woaiwojia1234 wodemima1234
wodemima123456 mimamima1234 mima12345678 mima123456789 5201314520 52013145201314 5201314woaini
1314520520 1314521521 13145201314 520131413145 woshishui123 woshinibaba123 nihao1234567 nihaonihao12
zhangwei123456 wangwei123456 liming123456 zhangsan123456 lisi12345678 wanglei123456 zhongguo123456
zhongguoren123 woshizhongguoren iloveyouchina china1234567 beijing123456 beijing2008 shanghai123456
sunshine1234 football1234 baseball1234 superman1234 batman123456 princess1234 monkey123456 dragon123456
michael12345 jordan232323 liverpool123 starwars1234 trustno1trustno1 1234567890-= !@#$%^&*()_+
!qaz2wsx#edc !qaz@wsx#edc4 qwe!@#qwe!@# !@#qwe123456 1qaz@wsx#edc 1qaz2wsx!@#$ q1w2e3r4t5y6
q1w2e3r4t5y6u7 qwertyuiop[] 1a2b3c4d5e6f aaaa11111111 aaa123456789 aa11bb22cc33 aabbccddeeff
"""

BASES = """
password passw0rd p@ssw0rd p@ssword iloveyou qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm
admin administrator root welcome letmein changeme monkey dragon master shadow sunshine princess
football baseball superman batman trustno1 whatever freedom hello123 abc abcd abcdef
woaini woaiwojia wodemima mima nihao zhongguo china beijing shanghai hunan chenzhou
weiquan fulian fulianhui funv 12338 hotline rexian rexian12338 women fuyou fuwu tiaojie
zhangwei wangwei liming zhangsan lisi wanglei liuyang chenjie yangyang xiaoming
qq wechat weixin baidu taobao 163 sina
"""

SUFFIXES = """
123456 1234567 12345678 123456789 1234567890 654321 987654321 111111 000000 888888 666666 520
1314 5201314 1314520 123123 112233 2008 2010 2012 2015 2016 2017 2018 2019 2020 2021 2022 2023
2024 2025 2026 2027 !@# !@#$ @123 #123 123! @123456 123456! 12345! .123 _123 @2024 @2025 @2026
"""


def main():
    out = set(w.lower() for w in KNOWN.split())
    bases = BASES.split()
    suffixes = SUFFIXES.split()
    for b in bases:
        for s in suffixes:
            out.add(b + s)
            out.add(s + b)
        out.add(b + b)
        out.add(b * 3)
    for b1, b2 in itertools.permutations(["woaini", "iloveyou", "mima", "password", "admin", "12338",
                                          "weiquan", "fulian", "hotline", "china", "zhongguo"], 2):
        out.add(b1 + b2)
    # Digit runs up and down, and a short group repeated to the length.
    digits = "01234567890123456789"
    for n in range(MIN, 21):
        out.add(digits[1:1 + n])
        out.add(digits[:n])
        out.add("".join(reversed(digits[1:1 + n])))
    for unit in ["12", "123", "1234", "12345", "123456", "abc", "abcd", "qwe", "qwer", "asd", "zxc", "aa", "ab",
                 "a1", "1a", "q1", "1q", "520", "1314", "5201314", "woaini", "88", "66", "168", "521", "159"]:
        for times in range(2, 12):
            w = unit * times
            if MIN <= len(w) <= 24:
                out.add(w)
    words = sorted(w for w in out if len(w) >= MIN)
    print("# Common passwords of 12 or more characters, lower-case; see scripts/gen-common-passwords.py.")
    for w in words:
        print(w)


if __name__ == "__main__":
    main()
