/* The template engine of template.h: tokenise (dropping standalone tag lines), build a
 * tree of sections, render it against a tree of contexts. */
#include "template.h"
#include "data.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- contexts ---- */

typedef struct {
    char *key;
    char *str; /* scalar value; NULL = missing (or a list) */
    int is_list;
    VEC(tctx_t *) items;
    /* A lazy list (tctx_list_lazy): n items built by item(arg, i) when rendered. */
    tctx_item_fn item;
    size_t lazy_n;
    void *arg;
    void (*free_arg)(void *);
} tval_t;

struct tctx {
    VEC(tval_t) vals;
};

tctx_t *tctx_new(void)
{
    return xcalloc(1, sizeof(tctx_t));
}

static void tval_clear(tval_t *v)
{
    free(v->str);
    v->str = NULL;
    for (size_t i = 0; i < v->items.n; i++)
        tctx_free(v->items.items[i]);
    VEC_FREE(v->items);
    if (v->free_arg)
        v->free_arg(v->arg);
    v->item = NULL, v->lazy_n = 0, v->arg = NULL, v->free_arg = NULL;
    v->is_list = 0;
}

void tctx_free(tctx_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->vals.n; i++) {
        tval_clear(&c->vals.items[i]);
        free(c->vals.items[i].key);
    }
    VEC_FREE(c->vals);
    free(c);
}

static tval_t *tctx_find(const tctx_t *c, const char *key)
{
    for (size_t i = 0; i < c->vals.n; i++)
        if (!strcmp(c->vals.items[i].key, key))
            return &c->vals.items[i];
    return NULL;
}

static tval_t *tctx_slot(tctx_t *c, const char *key)
{
    tval_t *v = tctx_find(c, key);
    if (v)
        return v;
    tval_t nv;
    memset(&nv, 0, sizeof nv);
    nv.key = xstrdup(key);
    VEC_PUSH(c->vals, nv);
    return &c->vals.items[c->vals.n - 1];
}

void tctx_set(tctx_t *c, const char *key, const char *val)
{
    tval_t *v = tctx_slot(c, key);
    tval_clear(v);
    v->str = val ? xstrdup(val) : NULL;
}

void tctx_setf(tctx_t *c, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_t b = {0};
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof tmp) {
        sb_add(&b, tmp);
    } else if (n >= 0) {
        char *big = xmalloc((size_t)n + 1);
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        sb_add(&b, big);
        free(big);
    }
    va_end(ap2);
    va_end(ap);
    char *s = sb_take(&b);
    tctx_set(c, key, s);
    free(s);
}

void tctx_list(tctx_t *c, const char *key)
{
    tval_t *v = tctx_slot(c, key);
    if (!v->is_list || v->item) {
        tval_clear(v);
        v->is_list = 1;
    }
}

tctx_t *tctx_add(tctx_t *c, const char *key)
{
    tctx_list(c, key);
    tval_t *v = tctx_find(c, key);
    tctx_t *item = tctx_new();
    VEC_PUSH(v->items, item);
    return item;
}

void tctx_list_lazy(tctx_t *c, const char *key, size_t n, tctx_item_fn item, void *arg,
                    void (*free_arg)(void *))
{
    tval_t *v = tctx_slot(c, key);
    tval_clear(v);
    v->is_list = 1;
    v->item = item, v->lazy_n = n, v->arg = arg, v->free_arg = free_arg;
}

static size_t list_len(const tval_t *v)
{
    return v->item ? v->lazy_n : v->items.n;
}

size_t tctx_count(const tctx_t *c, const char *key)
{
    const tval_t *v = tctx_find(c, key);
    return v && v->is_list ? list_len(v) : 0;
}

const char *tctx_get(const tctx_t *c, const char *key)
{
    const tval_t *v = tctx_find(c, key);
    return v && !v->is_list ? v->str : NULL;
}

/* ---- tokens and tree ---- */

enum { K_TEXT, K_VAR, K_RAW, K_SEC, K_INV, K_CLOSE, K_COMMENT };

typedef struct tnode tnode_t;
struct tnode {
    int kind;
    const char *text; /* K_TEXT: span in the template */
    size_t len;
    char *key, *label; /* tags */
    int width;         /* padding in display columns, 0 = none */
    char align;        /* '-' left, '>' right */
    long line;
    VEC(tnode_t *) kids;
};

static void tnode_free(tnode_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->kids.n; i++)
        tnode_free(n->kids.items[i]);
    VEC_FREE(n->kids);
    free(n->key), free(n->label);
    free(n);
}

static tnode_t *tnode_new(int kind, long line)
{
    tnode_t *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->line = line;
    return n;
}

/* "key:-12|label" -> key, width, align, label. */
static void parse_var(tnode_t *n, const char *s, size_t len)
{
    char *body = xstrndup(s, len);
    char *bar = strchr(body, '|');
    if (bar) {
        *bar++ = 0;
        n->label = xstrdup(str_trim(bar));
    }
    char *colon = strchr(body, ':');
    if (colon) {
        *colon++ = 0;
        n->align = *colon == '>' ? '>' : '-';
        if (*colon == '>' || *colon == '-')
            colon++;
        n->width = atoi(colon);
    }
    n->key = xstrdup(str_trim(body));
    free(body);
}

static long line_of(const char *start, const char *p)
{
    long line = 1;
    for (const char *q = start; q < p; q++)
        line += *q == '\n';
    return line;
}

static int is_blank_span(const char *a, const char *b)
{
    for (; a < b; a++)
        if (*a != ' ' && *a != '\t' && *a != '\r')
            return 0;
    return 1;
}

typedef struct {
    const char *name, *start, *end;
    char *err;
    size_t errlen;
} tparse_t;

static int perr(tparse_t *p, long line, const char *msg, const char *key)
{
    snprintf(p->err, p->errlen, "%s:%ld: %s%s%s", p->name, line, msg, key ? " " : "",
             key ? key : "");
    return -1;
}

/* Builds the tree under root; returns -1 on error. */
static int tparse(tparse_t *p, tnode_t *root)
{
    tnode_t *stack[64];
    int depth = 0;
    stack[0] = root;
    const char *s = p->start;
    while (s < p->end) {
        const char *open = memmem(s, (size_t)(p->end - s), "{{", 2);
        const char *text_end = open ? open : p->end;
        tnode_t *text = NULL;
        if (text_end > s) {
            text = tnode_new(K_TEXT, 0);
            text->text = s;
            text->len = (size_t)(text_end - s);
            VEC_PUSH(stack[depth]->kids, text);
        }
        if (!open)
            break;
        long line = line_of(p->start, open);
        const char *close = memmem(open + 2, (size_t)(p->end - open - 2), "}}", 2);
        if (!close)
            return perr(p, line, "unterminated tag", NULL);
        const char *in = open + 2;
        int kind = K_VAR;
        switch (*in) {
        case '#':
            kind = K_SEC;
            in++;
            break;
        case '^':
            kind = K_INV;
            in++;
            break;
        case '/':
            kind = K_CLOSE;
            in++;
            break;
        case '!':
            kind = K_COMMENT;
            in++;
            break;
        case '&':
            kind = K_RAW;
            in++;
            break;
        default:
            break;
        }
        s = close + 2;
        if (kind != K_VAR && kind != K_RAW) {
            /* A standalone tag line vanishes with its indentation and line end. */
            const char *ls = open;
            while (ls > p->start && ls[-1] != '\n')
                ls--;
            const char *le = memchr(s, '\n', (size_t)(p->end - s));
            const char *le_or_end = le ? le : p->end;
            if (is_blank_span(ls, open) && is_blank_span(s, le_or_end)) {
                if (text)
                    text->len -= (size_t)(open - ls);
                s = le ? le + 1 : p->end;
            }
        }
        if (kind == K_COMMENT)
            continue;
        tnode_t *n = tnode_new(kind, line);
        parse_var(n, in, (size_t)(close - in));
        if (!*n->key) {
            tnode_free(n);
            return perr(p, line, "empty tag", NULL);
        }
        if (kind == K_CLOSE) {
            if (depth == 0 || strcmp(stack[depth]->key, n->key)) {
                int rc = perr(p, line, "closing tag without its section:", n->key);
                tnode_free(n);
                return rc;
            }
            tnode_free(n);
            depth--;
            continue;
        }
        VEC_PUSH(stack[depth]->kids, n);
        if (kind == K_SEC || kind == K_INV) {
            if (depth == 63)
                return perr(p, line, "sections nested too deep", NULL);
            stack[++depth] = n;
        }
    }
    if (depth > 0)
        return perr(p, stack[depth]->line, "section not closed:", stack[depth]->key);
    return 0;
}

/* ---- rendering ---- */

typedef struct {
    const tctx_t *ctx;
    size_t index, count; /* count 0: not a list frame */
} frame_t;

typedef struct {
    frame_t frames[64];
    int depth;
    tmpl_mode_t mode;
    sbuf_t *out;
    tmpl_blank_fn blank;
    void *ud;
} trender_t;

static const char *const YES = "1";

/* Finds key from the innermost frame out. *list is set for lists. NULL when absent. */
static const tval_t *lookup(const trender_t *r, const char *key)
{
    for (int i = r->depth; i >= 0; i--) {
        const tval_t *v = tctx_find(r->frames[i].ctx, key);
        if (v)
            return v;
    }
    return NULL;
}

/* @index/@first/@last of the innermost list frame; NULL outside lists. */
static const char *position(const trender_t *r, const char *key, char *buf)
{
    for (int i = r->depth; i >= 0; i--) {
        const frame_t *f = &r->frames[i];
        if (!f->count)
            continue;
        if (!strcmp(key, "@index")) {
            snprintf(buf, 24, "%zu", f->index + 1);
            return buf;
        }
        if (!strcmp(key, "@first"))
            return f->index == 0 ? YES : "";
        if (!strcmp(key, "@last"))
            return f->index + 1 == f->count ? YES : "";
        return NULL;
    }
    return NULL;
}

static int truthy(const char *s)
{
    return s && *s && strcmp(s, "0");
}

/* Values come from input files: control characters other than TAB and newline would
 * steer a terminal, so they are shown as U+FFFD. */
static void add_clean(sbuf_t *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
            sb_add(out, "\xEF\xBF\xBD");
        else
            sb_addc(out, (char)c);
    }
}

static void emit_padded(trender_t *r, const tnode_t *n, const char *val, tmpl_mode_t escape)
{
    size_t w = display_width(val);
    size_t pad = n->width > 0 && (size_t)n->width > w ? (size_t)n->width - w : 0;
    if (n->align == '>')
        for (size_t i = 0; i < pad; i++)
            sb_addc(r->out, ' ');
    if (escape == TMPL_MD)
        md_escape(r->out, val);
    else if (escape == TMPL_HTML)
        html_escape(r->out, val);
    else
        add_clean(r->out, val);
    if (n->align != '>')
        for (size_t i = 0; i < pad; i++)
            sb_addc(r->out, ' ');
}

static void render_nodes(trender_t *r, const tnode_t *parent);

static void render_var(trender_t *r, const tnode_t *n)
{
    char buf[24];
    const char *val = NULL;
    if (n->key[0] == '@') {
        val = position(r, n->key, buf);
    } else {
        const tval_t *v = lookup(r, n->key);
        val = v && !v->is_list ? v->str : NULL;
    }
    if (!val || (!*val && n->label)) {
        const char *label = n->label ? n->label : n->key;
        char *blank = xasprintf("【请填写：%s】", label);
        emit_padded(r, n, blank, TMPL_TEXT);
        free(blank);
        if (r->blank)
            r->blank(r->ud, n->key, label);
        return;
    }
    emit_padded(r, n, val, n->kind == K_VAR ? r->mode : TMPL_TEXT);
}

static void render_section(trender_t *r, const tnode_t *n)
{
    char buf[24];
    if (n->key[0] == '@') {
        int on = truthy(position(r, n->key, buf));
        if (on == (n->kind == K_SEC))
            render_nodes(r, n);
        return;
    }
    const tval_t *v = lookup(r, n->key);
    if (v && v->is_list) {
        size_t len = list_len(v);
        if (n->kind == K_INV) {
            if (!len)
                render_nodes(r, n);
            return;
        }
        if (r->depth >= 63)
            return;
        r->depth++;
        for (size_t i = 0; i < len; i++) {
            tctx_t *item = v->item ? v->item(v->arg, i) : v->items.items[i];
            r->frames[r->depth] = (frame_t){item, i, len};
            render_nodes(r, n);
            sb_stream_point(r->out); /* an item is final once rendered */
            if (v->item)
                tctx_free(item);
        }
        r->depth--;
        return;
    }
    int on = v && truthy(v->str);
    if (on == (n->kind == K_SEC))
        render_nodes(r, n);
}

static void render_nodes(trender_t *r, const tnode_t *parent)
{
    for (size_t i = 0; i < parent->kids.n; i++) {
        const tnode_t *n = parent->kids.items[i];
        switch (n->kind) {
        case K_TEXT:
            sb_addn(r->out, n->text, n->len);
            break;
        case K_VAR:
        case K_RAW:
            render_var(r, n);
            break;
        default:
            render_section(r, n);
            break;
        }
    }
}

int tmpl_render(const char *name, const char *text, size_t len, const tctx_t *root,
                tmpl_mode_t mode, sbuf_t *out, tmpl_blank_fn blank, void *ud, char *err,
                size_t errlen)
{
    tparse_t p = {name, text, text + len, err, errlen};
    tnode_t *tree = tnode_new(K_SEC, 0);
    tree->key = xstrdup("");
    int rc = tparse(&p, tree);
    if (rc == 0) {
        trender_t r;
        memset(&r, 0, sizeof r);
        r.frames[0] = (frame_t){root, 0, 0};
        r.mode = mode;
        r.out = out;
        r.blank = blank;
        r.ud = ud;
        render_nodes(&r, tree);
    }
    tnode_free(tree);
    return rc;
}

int tmpl_render_file(const char *file, const tctx_t *root, tmpl_mode_t mode, sbuf_t *out,
                     tmpl_blank_fn blank, void *ud)
{
    const data_file_t *f = data_find(file);
    if (!f) {
        fprintf(stderr, "billaudit: template %s is not built in\n", file);
        return -1;
    }
    char err[512];
    if (tmpl_render(file, f->data, f->len, root, mode, out, blank, ud, err, sizeof err) != 0) {
        fprintf(stderr, "billaudit: %s\n", err);
        return -1;
    }
    return 0;
}

/* ---- Markdown and width helpers ---- */

void md_escape(sbuf_t *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') {
            sb_addc(out, ' ');
            continue;
        }
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            sb_add(out, "\xEF\xBF\xBD");
            continue;
        }
        if (strchr("\\`*_[]<>|#~&", *s))
            sb_addc(out, '\\');
        sb_addc(out, *s);
    }
}

void html_escape(sbuf_t *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        size_t ok = utf8_valid_prefix(u, n);
        for (size_t i = 0; i < ok; i++) {
            unsigned char c = u[i];
            if (c == '&')
                sb_add(out, "&amp;");
            else if (c == '<')
                sb_add(out, "&lt;");
            else if (c == '>')
                sb_add(out, "&gt;");
            else if (c == '"')
                sb_add(out, "&quot;");
            else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                sb_add(out, "\xEF\xBF\xBD");
            else
                sb_addc(out, (char)c);
        }
        u += ok, n -= ok;
        if (n) { /* one invalid byte */
            sb_add(out, "\xEF\xBF\xBD");
            u++, n--;
        }
    }
}

void md_code(sbuf_t *out, const char *s)
{
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t n = strlen(s);
    int pad = !n || s[0] == '`' || s[n - 1] == '`' || s[0] == ' ' || s[n - 1] == ' ';
    for (size_t i = 0; i <= longest; i++)
        sb_addc(out, '`');
    if (pad)
        sb_addc(out, ' ');
    for (const char *p = s; *p; p++)
        sb_addc(out, *p == '\n' || *p == '\r' ? ' ' : *p);
    if (pad)
        sb_addc(out, ' ');
    for (size_t i = 0; i <= longest; i++)
        sb_addc(out, '`');
}

static int wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t display_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = *p;
        int extra = 0;
        if (cp >= 0xF0)
            cp &= 0x07, extra = 3;
        else if (cp >= 0xE0)
            cp &= 0x0F, extra = 2;
        else if (cp >= 0xC0)
            cp &= 0x1F, extra = 1;
        p++;
        for (; extra > 0 && (*p & 0xC0) == 0x80; extra--, p++)
            cp = (cp << 6) | (*p & 0x3F);
        w += wide(cp) ? 2 : 1;
    }
    return w;
}
