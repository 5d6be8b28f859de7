/* Turns data files into a C table so the binary carries its keyword tables,
 * column aliases, term catalogue and templates: no install path to get wrong. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("#include <stddef.h>\n#include \"data.h\"\n");
    printf("const data_file_t data_files[] = {\n");
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        printf("{\"%s\", \"", argv[i]);
        int c;
        size_t n = 0;
        while ((c = fgetc(f)) != EOF) {
            printf("\\%03o", (unsigned)c);
            if (++n % 40 == 0)
                printf("\"\n\"");
        }
        printf("\", %zu},\n", n);
        fclose(f);
    }
    printf("{NULL, NULL, 0}};\n");
    return 0;
}
