#!/usr/bin/env python3
"""Reads an MIIT letter on stdin and prints each item 《电信用户申诉处理办法》第十二条 requires
(and the prior operator complaint, AP-10(四)/AP-13): its value, or BLANK when it is a marked
【请填写：…】 blank. Also fails on empty values and on hotlines domain.md does not verify."""
import re, sys

text = sys.stdin.read()
lines = text.splitlines()

def section(title):
    start = next(i for i, l in enumerate(lines) if l.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[一二三四五六七八九]、", lines[i])), len(lines))
    return lines[start + 1:end]

def field(block, label):
    for l in block:
        m = re.match(r"^\s*" + label + r"：(.*)$", l)
        if m:
            v = m.group(1).strip()
            if not v:
                return "EMPTY"
            return "BLANK" if v.startswith("【请填写：") else "ok"
    return "MISSING"

items = [
    ("(一) 申诉人姓名", section("一、申诉人"), "姓名"),
    ("(一) 地址", section("一、申诉人"), "地址"),
    ("(一) 电话号码", section("一、申诉人"), "电话号码"),
    ("(一) 邮政编码", section("一、申诉人"), "邮政编码"),
    ("(二) 被申诉人名称", section("二、被申诉人"), "名称"),
    ("(二) 被申诉人地址", section("二、被申诉人"), "地址"),
    ("operator complaint date", section("五、"), "投诉日期"),
    ("operator complaint result", section("五、"), "处理结果"),
    ("(四) 申诉日期", lines, "申诉日期"),
]
for name, block, label in items:
    print(f"{name}: {field(block, label)}")
req = section("三、申诉要求")
print("(三) 申诉要求:", "ok" if any("共计" in l for l in req) else "MISSING")
facts = section("四、理由和事实根据")
print("(三) 理由、事实根据:", "ok" if any("证据" in l for l in facts) else "MISSING")
print("addressee:", next(l for l in lines if l.startswith("致：")))
print("statements AP-10(一)/AP-11(二)(四):", all(s in text for s in ("直接利害关系", "和解协议", "人民法院、仲裁机构、消费者组织")))
print("unverified hotline 12378:", "12378" in text)
