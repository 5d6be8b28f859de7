/* The floor of `make bench`: a bare libcsv loop that only counts fields and records,
 * the fastest any libcsv-based reader can be. usage: csvcount FILE... */
#include <csv.h>
#include <stdio.h>

static void on_field(void *s, size_t n, void *c)
{
    (void)s, (void)n, ((size_t *)c)[0]++;
}
static void on_record(int t, void *c)
{
    (void)t, ((size_t *)c)[1]++;
}

int main(int argc, char **argv)
{
    static char buf[1 << 16];
    size_t count[2] = {0, 0}, n;
    struct csv_parser p;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f || csv_init(&p, 0) != 0)
            return perror(argv[i]), 1;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            csv_parse(&p, buf, n, on_field, on_record, count);
        csv_fini(&p, on_field, on_record, count);
        csv_free(&p);
        fclose(f);
    }
    printf("%zu fields, %zu records\n", count[0], count[1]);
    return 0;
}
