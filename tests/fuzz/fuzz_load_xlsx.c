/* Format detection and every parser through the normal loader, on the XLSX path: the
 * input is read as rows (LF) of cells (','), written as a workbook sheet and loaded like
 * any file. A cell starting with '#' becomes a number cell, '@' a date-styled number,
 * '$' a shared string; others are inline strings. So any CSV seed is also an XLSX seed. */
#include "audit.h"
#include "fuzz_common.h"
#include "fuzz_zip.h"

static void add_text(sbuf_t *b, const char *s, size_t n)
{
    /* XML-escaped; control characters XML cannot carry become ' ', so the sheet stays
     * well-formed and the fuzzer reaches the parsers. Bytes that are not UTF-8 stay as they
     * are: the reader makes them U+FFFD and marks their row damaged. */
    size_t i = 0;
    while (i < n) {
        size_t ok = utf8_valid_prefix((const unsigned char *)s + i, n - i);
        for (size_t k = i; k < i + ok; k++) {
            unsigned char c = (unsigned char)s[k];
            if (c == '&')
                sb_add(b, "&amp;");
            else if (c == '<')
                sb_add(b, "&lt;");
            else if (c == '"')
                sb_add(b, "&quot;");
            else if (c < 0x20 && c != '\t')
                sb_addc(b, ' ');
            else
                sb_addc(b, (char)c);
        }
        i += ok;
        if (i < n)
            sb_addc(b, s[i++]);
    }
}

static void add_cell(sbuf_t *sheet, sbuf_t *sst, int *nsst, long row, int col, const char *s,
                     size_t n)
{
    char ref[32]; /* room for any long, which gcc cannot bound */
    snprintf(ref, sizeof ref, "%c%c%ld", col >= 26 ? 'A' + col / 26 - 1 : ' ', 'A' + col % 26, row);
    const char *r = ref[0] == ' ' ? ref + 1 : ref;
    if (n && s[0] == '#') {
        sb_addf(sheet, "<c r=\"%s\"><v>", r);
        add_text(sheet, s + 1, n - 1);
        sb_add(sheet, "</v></c>");
    } else if (n && s[0] == '@') {
        sb_addf(sheet, "<c r=\"%s\" s=\"%d\"><v>", r, n > 1 && s[1] == '@' ? 2 : 1);
        add_text(sheet, s + 1, n - 1);
        sb_add(sheet, "</v></c>");
    } else if (n && s[0] == '$') {
        sb_addf(sheet, "<c r=\"%s\" t=\"s\"><v>%d</v></c>", r, (*nsst)++);
        sb_add(sst, "<si><t xml:space=\"preserve\">");
        add_text(sst, s + 1, n - 1);
        sb_add(sst, "</t></si>");
    } else {
        sb_addf(sheet, "<c r=\"%s\" t=\"inlineStr\"><is><t xml:space=\"preserve\">", r);
        add_text(sheet, s, n);
        sb_add(sheet, "</t></is></c>");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_quiet = 1;
    sbuf_t sheet = {0}, sst = {0};
    int nsst = 0;
    sb_add(&sheet, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " FZ_NS "><sheetData>");
    const char *p = (const char *)data, *end = p + size;
    for (long row = 1; p < end && row <= 2000; row++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *stop = eol ? eol : end;
        sb_addf(&sheet, "<row r=\"%ld\">", row);
        for (int col = 0; p <= stop && col < 26 * 27; col++) {
            const char *comma = memchr(p, ',', (size_t)(stop - p));
            const char *ce = comma ? comma : stop;
            if (ce > p)
                add_cell(&sheet, &sst, &nsst, row, col, p, (size_t)(ce - p));
            p = ce + 1;
            if (!comma)
                break;
        }
        sb_add(&sheet, "</row>");
        p = stop + 1;
    }
    sb_add(&sheet, "</sheetData></worksheet>");
    char *sst_xml = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst " FZ_NS
                              " count=\"%d\" uniqueCount=\"%d\">%s</sst>",
                              nsst, nsst, sst.p ? sst.p : "");
    fz_member_t m[] = {
        {"xl/workbook.xml", fz_workbook, sizeof fz_workbook - 1},
        {"xl/_rels/workbook.xml.rels", fz_workbook_rels, sizeof fz_workbook_rels - 1},
        {"xl/styles.xml", fz_styles, sizeof fz_styles - 1},
        {"xl/sharedStrings.xml", sst_xml, strlen(sst_xml)},
        {"xl/worksheets/sheet1.xml", sheet.p, sheet.n},
        {"xl/worksheets/sheet2.xml", sheet.p, sheet.n},
    };
    const char *path = fuzz_path(".xlsx");
    if (fz_write_zip(path, m, 6) != 0)
        abort();
    sb_free(&sheet);
    sb_free(&sst);
    free(sst_xml);

    audit_t a;
    audit_init(&a);
    char *paths[] = {(char *)path};
    audit_load(&a, paths, 1);
    audit_prepare(&a);
    audit_free(&a);
    unlink(path);
    return 0;
}
