#include "data.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

const data_file_t *data_find(const char *name)
{
    for (const data_file_t *f = data_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

int data_tsv_each(const char *name, tsv_fn fn, void *ctx)
{
    const data_file_t *f = data_find(name);
    if (!f)
        return -1;
    char *copy = xstrndup(f->data, f->len);
    int rows = 0, lineno = 0;
    char *save = NULL;
    char *fields[32];
    for (char *line = copy; line; line = save) {
        save = strchr(line, '\n');
        if (save)
            *save++ = 0;
        lineno++;
        str_trim(line);
        if (!*line || *line == '#')
            continue;
        int n = 0;
        for (char *tok = line; tok && n < 32;) {
            char *tab = strchr(tok, '\t');
            if (tab)
                *tab++ = 0;
            fields[n++] = str_trim(tok);
            tok = tab;
        }
        fn(ctx, fields, n, lineno);
        rows++;
    }
    free(copy);
    return rows;
}
