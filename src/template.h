/* Text templates for reports and letters, kept as data (src/templates/, one .txt each) so
 * wording can be corrected without touching C. A small subset of Mustache:
 *
 *   {{key}}            the value (Markdown-escaped when rendering Markdown, HTML-escaped
 *                      when rendering HTML)
 *   {{&key}}           the value, never escaped (pre-formatted code spans)
 *   {{key|标签}}        when the value is missing or empty: 【请填写：标签】, reported
 *                      through the blank callback (the caller warns on stderr)
 *   {{key:-12}}        padded to 12 display columns (CJK counts 2); {{key:>12}} right-aligned
 *   {{#key}}…{{/key}}  a list: once per item; a scalar: once when non-empty and not "0"
 *   {{^key}}…{{/key}}  once when the list is empty or the scalar empty/"0"/missing
 *   {{! comment }}
 *   {{@index}} {{@first}} {{@last}}  position inside the innermost list (1-based index)
 *
 * Keys are looked up from the innermost list item outwards. A line holding only a
 * section, closing or comment tag disappears entirely, so templates can be laid out
 * one tag per line. */
#ifndef BILLAUDIT_TEMPLATE_H
#define BILLAUDIT_TEMPLATE_H
#include "util.h"

typedef struct tctx tctx_t;

tctx_t *tctx_new(void);
void tctx_free(tctx_t *c);
/* Sets a scalar (copied). val NULL records the key as missing. Replaces an earlier value. */
void tctx_set(tctx_t *c, const char *key, const char *val);
void tctx_setf(tctx_t *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends a new item to the list key (created empty when absent) and returns it. */
tctx_t *tctx_add(tctx_t *c, const char *key);
/* Makes sure the list key exists (possibly empty). */
void tctx_list(tctx_t *c, const char *key);
/* A list whose items are built only while they are rendered, one at a time, and freed
 * after: a report of 30 000 findings then holds one finding's context, not all of them.
 * item(arg, i) builds item i of n; free_arg (may be NULL) frees arg with the context. An
 * item must not depend on anything that changes between this call and the rendering. */
typedef tctx_t *(*tctx_item_fn)(const void *arg, size_t i);
void tctx_list_lazy(tctx_t *c, const char *key, size_t n, tctx_item_fn item, void *arg,
                    void (*free_arg)(void *));
/* Number of items of list key (0 when absent or scalar). */
size_t tctx_count(const tctx_t *c, const char *key);
/* The scalar value of key in c itself (NULL when absent, missing or a list). */
const char *tctx_get(const tctx_t *c, const char *key);

typedef enum { TMPL_TEXT, TMPL_MD, TMPL_HTML } tmpl_mode_t;
/* Called once per blank placeholder rendered: key and its label. */
typedef void (*tmpl_blank_fn)(void *ud, const char *key, const char *label);

/* Renders template text (name is used in error messages). 0 on success; on a template
 * error (unbalanced section, unterminated tag) returns -1 with "name:line: message" in err. */
int tmpl_render(const char *name, const char *text, size_t len, const tctx_t *root,
                tmpl_mode_t mode, sbuf_t *out, tmpl_blank_fn blank, void *ud, char *err,
                size_t errlen);
/* Renders an embedded template file (src/templates/…). */
int tmpl_render_file(const char *file, const tctx_t *root, tmpl_mode_t mode, sbuf_t *out,
                     tmpl_blank_fn blank, void *ud);

/* Markdown helpers: backslash-escapes the punctuation Markdown gives meaning to (incl. '|',
 * so values are safe in table cells); a code span whose fence outruns any backticks inside. */
void md_escape(sbuf_t *out, const char *s);
void md_code(sbuf_t *out, const char *s);
/* HTML text and attribute values: & < > " escaped, control characters (but TAB and
 * newline) shown as U+FFFD, invalid UTF-8 bytes too, so the page is always valid UTF-8. */
void html_escape(sbuf_t *out, const char *s);
/* Display width of UTF-8 text: East Asian wide and full-width characters count 2. */
size_t display_width(const char *s);

#endif
