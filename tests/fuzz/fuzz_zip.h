/* Builds a small workbook for the harnesses: members stored (not deflated, for speed)
 * with libzip, around XML parts the harness chose. */
#ifndef BILLAUDIT_FUZZ_ZIP_H
#define BILLAUDIT_FUZZ_ZIP_H
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define FZ_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define FZ_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define FZ_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

static const char fz_content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char fz_root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" FZ_PKG "\">"
    "<Relationship Id=\"rId1\" Type=\"" FZ_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char fz_workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " FZ_NS " xmlns:r=\"" FZ_REL "\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Sheet2\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
static const char fz_workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" FZ_PKG "\">"
    "<Relationship Id=\"rId1\" Type=\"" FZ_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" FZ_REL "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" FZ_REL "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" FZ_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";
static const char fz_styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet " FZ_NS ">"
    "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm:ss\"/></numFmts>"
    "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs>"
    "</styleSheet>";

typedef struct {
    const char *name;
    const char *data;
    size_t len;
} fz_member_t;

/* Writes the members (plus [Content_Types].xml and _rels/.rels) to path. 0 on success. */
static inline int fz_write_zip(const char *path, const fz_member_t *m, int n)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return -1;
    fz_member_t fixed[] = {{"[Content_Types].xml", fz_content_types, sizeof fz_content_types - 1},
                           {"_rels/.rels", fz_root_rels, sizeof fz_root_rels - 1}};
    for (int i = 0; i < n + 2; i++) {
        const fz_member_t *e = i < 2 ? &fixed[i] : &m[i - 2];
        zip_source_t *src = zip_source_buffer(z, e->data, e->len, 0);
        zip_int64_t idx = src ? zip_file_add(z, e->name, src, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            zip_source_free(src);
            zip_discard(z);
            return -1;
        }
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    return zip_close(z) == 0 ? 0 : (zip_discard(z), -1);
}

#endif
