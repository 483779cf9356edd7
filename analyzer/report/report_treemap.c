/* SPDX-License-Identifier: MIT */
/*
 * The treemap: a self-contained SVG 1.1 picture of where each bundle's bytes go, one panel
 * per function (or layer alone): a rectangle per distribution, heaviest first, and in it
 * a rectangle per directory, each as large as its bytes (squarified, Bruls, Huizing and
 * van Wijk 2000). What the size plan says can go (left out or stripped) is hatched over
 * its share of each directory. Every rectangle has a <title> (a tooltip in a browser). No
 * script, no style sheet, no external reference: rsvg-convert and browsers draw it alike.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "xalloc.h"

#define WIDTH 1200.0
#define PANEL 800.0
#define HEADER 28.0
#define MAX_DISTS 40 /* the rest drawn as one rectangle */
#define MAX_CELLS 60 /* per distribution */

struct rect {
    double x, y, w, h;
};

struct box {
    uint64_t bytes, cut; /* cut: what can go (removable + strip) */
    const char *name;    /* distribution or directory (NULL: the rest) */
    size_t index;        /* into the plan's dists or cells */
    struct rect r;
};

static const char *const palette[] = {
    "#8fb8de", "#f4b183", "#a9d18e", "#ffd966", "#c9a0dc", "#9dc3e6",
    "#f8cbad", "#c5e0b4", "#ffe699", "#d9b3e6", "#b4c7e7", "#e2a293",
};

static int cmp_box(const void *x, const void *y)
{
    const struct box *a = x, *b = y;
    if (a->bytes != b->bytes) {
        return a->bytes > b->bytes ? -1 : 1;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The worst aspect ratio of a row of areas summing to sum along a side of length side. */
static double worst(const struct box *row, size_t n, double sum, double side, double scale)
{
    double w = 0, s2 = side * side, sum2 = sum * sum;
    for (size_t i = 0; i < n; i++) {
        double a = (double)row[i].bytes * scale;
        double q = fmax(s2 * a / sum2, sum2 / (s2 * a));
        w = fmax(w, q);
    }
    return w;
}

/* Lay boxes (sorted heaviest first, every one > 0 bytes) out in r. */
static void squarify(struct box *b, size_t n, struct rect r)
{
    uint64_t total = 0;
    double scale;
    size_t i = 0;

    for (size_t k = 0; k < n; k++) {
        total += b[k].bytes;
    }
    if (!total || r.w <= 0 || r.h <= 0) {
        return;
    }
    scale = r.w * r.h / (double)total;
    while (i < n) {
        double side = fmin(r.w, r.h), sum = 0, best = INFINITY, thick, off = 0;
        size_t j = i;
        while (j < n) {
            double s = sum + (double)b[j].bytes * scale,
                   q = worst(b + i, j - i + 1, s, side, scale);
            if (q > best) {
                break;
            }
            best = q;
            sum = s;
            j++;
        }
        thick = side > 0 ? sum / side : 0;
        for (size_t k = i; k < j; k++) {
            double len = thick > 0 ? (double)b[k].bytes * scale / thick : 0;
            b[k].r = r.w >= r.h ? (struct rect){r.x, r.y + off, thick, len}
                                : (struct rect){r.x + off, r.y, len, thick};
            off += len;
        }
        if (r.w >= r.h) {
            r.x += thick;
            r.w -= thick;
        } else {
            r.y += thick;
            r.h -= thick;
        }
        i = j;
    }
}

static void rect_el(FILE *out, const struct rect *r, const char *fill, const char *title)
{
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", r->x,
            r->y, fmax(r->w, 0), fmax(r->h, 0), fill);
    if (!strncmp(fill, "url", 3)) {
        fputs(">", out);
    } else {
        fputs(" stroke=\"#ffffff\" stroke-width=\"1\">", out);
    }
    fputs("<title>", out);
    rxml_put(out, title, false);
    fputs("</title></rect>\n", out);
}

/* A label inside r when it fits, cut to the width (about 6.5 px a character at 11 px). */
static void label(FILE *out, const struct rect *r, const char *text)
{
    size_t fit = r->w > 8 ? (size_t)((r->w - 6) / 6.5) : 0;
    char *cut;

    if (r->h < 14 || fit < 4) {
        return;
    }
    cut = strlen(text) > fit ? xasprintf("%.*s...", (int)(fit - 3), text) : xstrdup(text);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">", r->x + 3, r->y + 11);
    rxml_put(out, cut, false);
    fputs("</text>\n", out);
    free(cut);
}

/* The hatched share of a box: what can go, over the left part of it. */
static void hatch(FILE *out, const struct box *b, const char *title)
{
    struct rect h = b->r;

    if (!b->cut || !b->bytes) {
        return;
    }
    h.w = b->r.w * (double)(b->cut > b->bytes ? b->bytes : b->cut) / (double)b->bytes;
    rect_el(out, &h, "url(#cut)", title);
}

static void draw_dist(FILE *out, const struct size_plan *p, const struct box *db, const char *color)
{
    struct box *cells = xcalloc(p->cells_nr + 1, sizeof(*cells));
    struct rect in = db->r;
    size_t n = 0, kept;
    uint64_t rest = 0, rest_cut = 0;
    char *title;
    const struct size_dist *sd = db->name ? &p->dists[db->index] : NULL;

    char *name = sd ? sizeplan_dist_label(sd) : NULL;

    title = sd ? xasprintf("%s: %llu bytes in %zu files, %llu can go", name,
                           (unsigned long long)sd->bytes, sd->files, (unsigned long long)db->cut)
               : xasprintf("other distributions: %llu bytes", (unsigned long long)db->bytes);
    rect_el(out, &db->r, color, title);
    free(title);
    if (!sd) {
        label(out, &db->r, "other distributions");
        free(cells);
        return;
    }
    for (size_t c = 0; c < p->cells_nr; c++) {
        const struct size_cell *cell = &p->cells[c];
        if (cell->dist == db->index && cell->bytes) {
            cells[n++] = (struct box){
                cell->bytes, cell->removable + cell->strip, cell->dir, c, {0, 0, 0, 0}};
        }
    }
    qsort(cells, n, sizeof(*cells), cmp_box);
    kept = n > MAX_CELLS ? MAX_CELLS : n;
    for (size_t c = kept; c < n; c++) {
        rest += cells[c].bytes;
        rest_cut += cells[c].cut;
    }
    if (rest) {
        cells[kept++] = (struct box){rest, rest_cut, NULL, SIZE_MAX, {0, 0, 0, 0}};
    }
    /* Room for the distribution's name above its directories, when it is tall enough. */
    if (in.h > 40 && in.w > 40) {
        in.x += 2;
        in.w -= 4;
        in.y += 15;
        in.h -= 17;
    }
    squarify(cells, kept, in);
    for (size_t c = 0; c < kept; c++) {
        const char *dir = cells[c].name ? (*cells[c].name ? cells[c].name : "(top)") : NULL;
        char *t =
            dir ? xasprintf("%s / %s/: %llu bytes, %llu can go", name, dir,
                            (unsigned long long)cells[c].bytes, (unsigned long long)cells[c].cut)
                : xasprintf("%s / other directories: %llu bytes, %llu can go", name,
                            (unsigned long long)cells[c].bytes, (unsigned long long)cells[c].cut);
        rect_el(out, &cells[c].r, color, t);
        hatch(out, &cells[c], t);
        label(out, &cells[c].r, dir ? dir : "other directories");
        free(t);
    }
    if (db->r.h > 40 && db->r.w > 40) {
        label(out, &db->r, name);
    }
    free(name);
    free(cells);
}

static void draw_panel(FILE *out, const struct report *r, size_t h, double top)
{
    const struct size_plan *p = r->inputs[h].size;
    struct box *dists = xcalloc(p->dists_nr + 1, sizeof(*dists));
    size_t n = 0, kept;
    uint64_t rest = 0, cut = 0;
    char *head;
    uint64_t *strip = xcalloc(p->dists_nr + 1, sizeof(*strip)); /* per distribution */

    for (size_t c = 0; c < p->cells_nr; c++) {
        strip[p->cells[c].dist < p->dists_nr ? p->cells[c].dist : p->dists_nr] += p->cells[c].strip;
    }
    for (size_t d = 0; d < p->dists_nr; d++) {
        if (p->dists[d].bytes) {
            dists[n++] = (struct box){p->dists[d].bytes,
                                      p->dists[d].removable + strip[d],
                                      p->dists[d].name ? p->dists[d].name : "(no distribution)",
                                      d,
                                      {0, 0, 0, 0}};
        }
        cut += p->dists[d].removable + strip[d];
    }
    free(strip);
    qsort(dists, n, sizeof(*dists), cmp_box);
    kept = n > MAX_DISTS ? MAX_DISTS : n;
    for (size_t d = kept; d < n; d++) {
        rest += dists[d].bytes;
    }
    if (rest) {
        dists[kept++] = (struct box){rest, 0, NULL, SIZE_MAX, {0, 0, 0, 0}};
    }
    head = xasprintf("%s: %llu bytes unzipped of Lambda's %llu; hatched: %llu bytes that can be "
                     "left out or stripped (%s)",
                     r->inputs[h].name, (unsigned long long)p->unzipped,
                     (unsigned long long)p->limit, (unsigned long long)cut,
                     p->fits ? "then it fits" : "still over the limit after that");
    fprintf(out, "<g>\n<text x=\"6\" y=\"%.1f\" font-size=\"13\">", top + 18);
    rxml_put(out, head, false);
    fputs("</text>\n", out);
    free(head);
    squarify(dists, kept, (struct rect){0, top + HEADER, WIDTH, PANEL});
    for (size_t d = 0; d < kept; d++) {
        draw_dist(out, p, &dists[d], palette[d % (sizeof(palette) / sizeof(*palette))]);
    }
    fputs("</g>\n", out);
    free(dists);
}

int report_treemap(FILE *out, const struct report *r, struct diag *d)
{
    size_t panels = 0;
    double top = 0;

    for (size_t i = 0; i < r->inputs_nr; i++) {
        panels += r->inputs[i].size != NULL;
    }
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
            "font-size=\"11\">\n"
            "<title>%s size plan</title>\n"
            "<defs><pattern id=\"cut\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"6\" fill=\"#c00000\" "
            "fill-opacity=\"0.55\"/></pattern></defs>\n"
            "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
            WIDTH, panels ? panels * (PANEL + HEADER) : HEADER, WIDTH,
            panels ? panels * (PANEL + HEADER) : HEADER, r->tool_name, WIDTH,
            panels ? panels * (PANEL + HEADER) : HEADER);
    if (!panels) {
        fputs("<text x=\"6\" y=\"18\">no bundle was read</text>\n", out);
    }
    for (size_t i = 0; i < r->inputs_nr; i++) {
        if (r->inputs[i].size) {
            draw_panel(out, r, i, top);
            top += PANEL + HEADER;
        }
    }
    fputs("</svg>\n", out);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the treemap") : 0;
}
