/* SPDX-License-Identifier: MIT */
/*
 * The treemap: a self-contained SVG 1.1 picture of where each bundle's bytes go, one panel
 * per function (or layer alone). On top, the verdict and two gauges, the bytes against
 * Lambda's limits: unzipped (the function and its layers) and zipped (the largest zip),
 * each with the limit drawn, what the plan takes out hatched and what stays over the limit
 * in red, so that a bundle at 4 % and one at 122 % look nothing alike. Below, a rectangle
 * per distribution, heaviest first, and in it a rectangle per directory, each as large as
 * its bytes (squarified, Bruls, Huizing and van Wijk 2000), its name and size written on
 * it (turned when it is tall and narrow); what the size plan says can go (left out or
 * stripped) is hatched over its share of each directory. Every rectangle has a <title> (a
 * tooltip in a browser) in the text report's words; a legend says what the marks mean.
 * No script, no style sheet, no external reference: rsvg-convert and browsers draw it
 * alike.
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
#define HEADER 26.0 /* the verdict */
#define GAUGES 52.0 /* the two gauges */
#define PANEL 760.0 /* the rectangles */
#define LEGEND 26.0
#define PANEL_H (HEADER + GAUGES + PANEL + LEGEND)
#define CHAR_W 6.5   /* about the width of a character at 11 px */
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

/* fmax and fmin for the finite values here, without linking libm for them (each library
 * mapped costs every run's start-up). */
static double dmax(double a, double b)
{
    return a > b ? a : b;
}

static double dmin(double a, double b)
{
    return a < b ? a : b;
}
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
        double q = dmax(s2 * a / sum2, sum2 / (s2 * a));
        w = dmax(w, q);
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
        double side = dmin(r.w, r.h), sum = 0, best = INFINITY, thick, off = 0;
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

static unsigned long long ull(uint64_t v)
{
    return (unsigned long long)v;
}

/* "512 bytes", "35.5 KiB", "2.1 MiB", "10.0 GiB": what is written on a rectangle. */
static void human(char *buf, size_t n, uint64_t v)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double d = (double)v;
    size_t u = 0;

    if (v < 1024) {
        snprintf(buf, n, "%llu bytes", ull(v));
        return;
    }
    d /= 1024;
    while (d >= 1024 && u + 1 < sizeof(units) / sizeof(*units)) {
        d /= 1024;
        u++;
    }
    snprintf(buf, n, "%.1f %s", d, units[u]);
}

/* ", 8004 bytes of them can be left out, strip saves 1928 bytes": the text report's words. */
static char *goes(uint64_t removable, uint64_t strip)
{
    char a[64] = "", b[64] = "";

    if (removable) {
        snprintf(a, sizeof(a), ", %llu bytes of them can be left out", ull(removable));
    }
    if (strip) {
        snprintf(b, sizeof(b), ", strip saves %llu bytes", ull(strip));
    }
    return xasprintf("%s%s", a, b);
}

static void rect_el(FILE *out, const struct rect *r, const char *fill, const char *title)
{
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", r->x,
            r->y, dmax(r->w, 0), dmax(r->h, 0), fill);
    if (!strncmp(fill, "url", 3)) {
        fputs(">", out);
    } else {
        fputs(" stroke=\"#ffffff\" stroke-width=\"1\">", out);
    }
    fputs("<title>", out);
    rxml_put(out, title, false);
    fputs("</title></rect>\n", out);
}

/* text cut to n characters ("..." at its end), or whole. */
static char *cut(const char *text, size_t n)
{
    return strlen(text) > n ? xasprintf("%.*s...", (int)(n - 3), text) : xstrdup(text);
}

/* A name, and under it a size, inside r: along it when it fits, turned a quarter when the
 * rectangle is taller than wide and the turned line holds more of it, cut to the room
 * there is (never to fewer than 4 characters: nothing then). */
static void label(FILE *out, const struct rect *r, const char *text, const char *size)
{
    size_t along = r->w > 6 && r->h >= 14 ? (size_t)((r->w - 6) / CHAR_W) : 0;
    size_t across = r->h > 6 && r->w >= 14 ? (size_t)((r->h - 6) / CHAR_W) : 0;
    bool turn = r->h > r->w && across > along && strlen(text) > along;
    size_t fit = turn ? across : along;
    double lines = turn ? r->w : r->h; /* room for a second line across */
    char *name;

    if (fit < 4) {
        return;
    }
    name = cut(text, fit);
    if (turn) {
        fprintf(out, "<text transform=\"translate(%.1f %.1f) rotate(-90)\">", r->x + 11,
                r->y + r->h - 3);
    } else {
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">", r->x + 3, r->y + 11);
    }
    rxml_put(out, name, false);
    fputs("</text>\n", out);
    free(name);
    if (size && lines >= 27 && strlen(size) <= fit) {
        if (turn) {
            fprintf(out, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" fill=\"#333333\">",
                    r->x + 24, r->y + r->h - 3);
        } else {
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333333\">", r->x + 3, r->y + 24);
        }
        rxml_put(out, size, false);
        fputs("</text>\n", out);
    }
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

/* The distribution's words: its label, and the input it is in when that is a layer's. */
static char *dist_name(const struct report *r, size_t h, const struct size_plan *p,
                       const struct size_dist *sd)
{
    char *label = sizeplan_dist_label(sd), *out;
    size_t in = h + (sd->input - p->view);

    if (sd->input == p->view || sd->input < p->view || in >= r->inputs_nr) {
        return label;
    }
    out = xasprintf("%s in %s", label, r->inputs[in].name);
    free(label);
    return out;
}

static void draw_dist(FILE *out, const struct report *r, size_t h, const struct size_plan *p,
                      const struct box *db, const char *color)
{
    struct box *cells = xcalloc(p->cells_nr + 1, sizeof(*cells));
    struct rect in = db->r;
    size_t n = 0, kept;
    uint64_t rest = 0, rest_cut = 0;
    size_t rest_files = 0;
    char *title, *why, size[32];
    const struct size_dist *sd = db->name ? &p->dists[db->index] : NULL;
    char *name = sd ? dist_name(r, h, p, sd) : NULL;
    human(size, sizeof(size), db->bytes);
    if (sd && sd->rest) {
        title = xasprintf("%s: %llu bytes: its system, its Python and the layers' tar headers",
                          name, ull(sd->bytes));
        rect_el(out, &db->r, "#dddddd", title);
        label(out, &db->r, name, size);
        free(title);
        free(name);
        free(cells);
        return;
    }
    if (sd) {
        why = goes(sd->removable, sd->strip);
        title = xasprintf("%s: %llu bytes in %zu file%s%s", name, ull(sd->bytes), sd->files,
                          sd->files == 1 ? "" : "s", why);
        free(why);
    } else {
        title = xasprintf("the other distributions: %llu bytes", ull(db->bytes));
    }
    rect_el(out, &db->r, color, title);
    free(title);
    if (!sd) {
        label(out, &db->r, "the other distributions", size);
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
        rest_files += p->cells[cells[c].index].files;
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
        const struct size_cell *cell = cells[c].name ? &p->cells[cells[c].index] : NULL;
        const char *dir = cell ? (*cell->dir ? cell->dir : "(top)") : NULL;
        char csize[32], *t;
        human(csize, sizeof(csize), cells[c].bytes);
        why = cell ? goes(cell->removable, cell->strip)
                   : xasprintf(", %llu bytes can go", ull(cells[c].cut));
        t = dir ? xasprintf("%s / %s%s: %llu bytes in %zu file%s%s", name, dir,
                            *cell->dir ? "/" : "", ull(cells[c].bytes), cell->files,
                            cell->files == 1 ? "" : "s", why)
                : xasprintf("%s / the other directories: %llu bytes in %zu files%s", name,
                            ull(cells[c].bytes), rest_files, why);
        free(why);
        rect_el(out, &cells[c].r, color, t);
        hatch(out, &cells[c], t);
        label(out, &cells[c].r, dir ? dir : "the other directories", csize);
        free(t);
    }
    if (db->r.h > 40 && db->r.w > 40) {
        char *head = xasprintf("%s, %s", name, size);
        struct rect top = {db->r.x, db->r.y, db->r.w, 14};
        label(out, &top, head, NULL);
        free(head);
    }
    free(name);
    free(cells);
}

/* A gauge: bytes now against a limit, what the plan takes out hatched (after..now), what
 * stays over the limit in red, the limit a red line; words over it. */
static void gauge(FILE *out, double y, const char *what, uint64_t now, uint64_t after,
                  uint64_t limit, const char *words)
{
    const double x0 = 96, x1 = WIDTH - 8, h = 16;
    double span = (double)(now > limit ? now : limit) * 1.08, scale = (x1 - x0) / span;
    double xa = x0 + (double)after * scale, xn = x0 + (double)now * scale;
    double xl = x0 + (double)limit * scale;
    char *t;

    fprintf(out, "<text x=\"6\" y=\"%.1f\">", y + 12);
    rxml_put(out, what, false);
    fputs("</text>\n", out);
    t = xasprintf("Lambda's limit: %llu bytes", ull(limit));
    rect_el(out, &(struct rect){x0, y, x1 - x0, h}, "#eeeeee", t);
    free(t);
    t = xasprintf("%llu bytes after the plan", ull(after));
    rect_el(out, &(struct rect){x0, y, dmin(xa, xl) - x0, h}, "#8fb8de", t);
    free(t);
    if (after > limit) {
        t = xasprintf("%llu bytes over the limit after the plan", ull(after - limit));
        rect_el(out, &(struct rect){xl, y, xa - xl, h}, "#e06666", t);
        free(t);
    }
    if (now > after) {
        t = xasprintf("%llu bytes the plan takes out", ull(now - after));
        rect_el(out, &(struct rect){xa, y, xn - xa, h}, "#c9d9ec", t);
        rect_el(out, &(struct rect){xa, y, xn - xa, h}, "url(#cut)", t);
        free(t);
    }
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00000\" "
            "stroke-width=\"2\"/>\n",
            xl, y - 3, xl, y + h + 3);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">", x0 + 4, y + 12);
    rxml_put(out, words, false);
    fputs("</text>\n", out);
}

/* The verdict, said of a bundle that fits already as such. */
static const char *verdict_words(const struct size_plan *p)
{
    bool now = p->unzipped <= p->limit;

    if (p->image) {
        return p->fits_unzipped ? (now ? "fits Lambda's image limit already"
                                       : "fits Lambda's image limit once the hatched bytes go")
                                : "still over Lambda's image limit when they are gone: build it "
                                  "smaller";
    }
    for (size_t i = 0; i < p->uploads_nr; i++) {
        now &= p->uploads[i].known && p->uploads[i].zipped <= p->zipped_limit;
    }
    switch (p->verdict) {
    case SIZE_FITS:
        return now ? "fits both limits already" : "fits both limits once the hatched bytes go";
    case SIZE_OVER_UNZIPPED:
        return "still over the unzipped limit when they are gone: a container image is the way "
               "out";
    case SIZE_OVER_UPLOAD:
        return "fits unzipped, but a zip stays over a direct upload's limit: upload it through S3";
    case SIZE_UPLOAD_UNKNOWN:
        return "fits unzipped; the zip's bytes are not known";
    }
    return "";
}

static void draw_plan(FILE *out, const struct report *r, size_t h, const struct size_plan *p,
                      double top);

static void gauges(FILE *out, const struct report *r, size_t h, const struct size_plan *p, double y)
{
    const struct size_upload *worst = NULL;
    char *words;
    words =
        xasprintf("%llu bytes %s, %llu %% of Lambda's %llu; %llu after the plan", ull(p->unzipped),
                  p->image ? "in its layers, uncompressed" : "unzipped",
                  ull(p->limit ? p->unzipped * 100 / p->limit : 0), ull(p->limit), ull(p->after));
    gauge(out, y, p->image ? "uncompressed" : "unzipped", p->unzipped, p->after, p->limit, words);
    free(words);
    if (p->image) {
        fprintf(
            out,
            "<text x=\"6\" y=\"%.1f\">zipped</text>\n<text x=\"100\" y=\"%.1f\" "
            "font-size=\"10\">no zip: an image's limit counts its layers, uncompressed</text>\n",
            y + 38, y + 38);
        return;
    }
    for (size_t i = 0; i < p->uploads_nr; i++) {
        const struct size_upload *u = &p->uploads[i];
        if (u->known && (!worst || u->after > worst->after)) {
            worst = u;
        }
    }
    if (!worst) {
        fprintf(out, "<text x=\"6\" y=\"%.1f\">zipped</text>\n", y + 38);
        fprintf(out,
                "<text x=\"100\" y=\"%.1f\" font-size=\"10\">not known: --size estimates a "
                "directory's zip</text>\n",
                y + 38);
        return;
    }
    words = xasprintf("%s%s%llu bytes zipped, %llu after the plan; a direct upload takes %llu",
                      p->uploads_nr > 1 ? "the largest after the plan: " : "",
                      worst->estimated ? "about " : "", ull(worst->zipped), ull(worst->after),
                      ull(p->zipped_limit));
    (void)r;
    (void)h;
    gauge(out, y + 26, "zipped", worst->zipped, worst->after, p->zipped_limit, words);
    free(words);
}

static void legend(FILE *out, double y)
{
    fprintf(out,
            "<rect x=\"6\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"#8fb8de\"/>"
            "<text x=\"22\" y=\"%.1f\">a distribution, a directory in it: the area is its "
            "bytes</text>\n"
            "<rect x=\"330\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"#c9d9ec\"/>"
            "<rect x=\"330\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"url(#cut)\"/>"
            "<text x=\"346\" y=\"%.1f\">hatched: can be left out or stripped</text>\n"
            "<line x1=\"580\" y1=\"%.1f\" x2=\"580\" y2=\"%.1f\" stroke=\"#c00000\" "
            "stroke-width=\"2\"/><text x=\"588\" y=\"%.1f\">Lambda's limit</text>\n"
            "<rect x=\"690\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"#e06666\"/>"
            "<text x=\"706\" y=\"%.1f\">over the limit after the plan</text>\n",
            y + 6, y + 16, y + 6, y + 6, y + 16, y + 4, y + 20, y + 16, y + 6, y + 16);
}

static void draw_panel(FILE *out, const struct report *r, size_t h, double top)
{
    const struct size_plan *p = r->inputs[h].size;

    if (p->why_not) {
        /* Nothing to draw: the panel says why, in a line. */
        char *why = xasprintf("%s: no size plan: %s", r->inputs[h].name, p->why_not);
        fprintf(out, "<g>\n<text x=\"6\" y=\"%.1f\" font-size=\"13\">", top + 18);
        rxml_put(out, why, false);
        fputs("</text>\n</g>\n", out);
        free(why);
        return;
    }
    draw_plan(out, r, h, p, top);
}

static void draw_plan(FILE *out, const struct report *r, size_t h, const struct size_plan *p,
                      double top)
{
    struct box *dists = xcalloc(p->dists_nr + 1, sizeof(*dists));
    size_t n = 0, kept;
    uint64_t rest = 0, removable = 0, strip = 0;
    char *head;

    for (size_t d = 0; d < p->dists_nr; d++) {
        if (p->dists[d].bytes) {
            dists[n++] = (struct box){p->dists[d].bytes,
                                      p->dists[d].removable + p->dists[d].strip,
                                      p->dists[d].name ? p->dists[d].name : "(no distribution)",
                                      d,
                                      {0, 0, 0, 0}};
        }
        removable += p->dists[d].removable;
        strip += p->dists[d].strip;
    }
    qsort(dists, n, sizeof(*dists), cmp_box);
    kept = n > MAX_DISTS ? MAX_DISTS : n;
    for (size_t d = kept; d < n; d++) {
        rest += dists[d].bytes;
    }
    if (rest) {
        dists[kept++] = (struct box){rest, 0, NULL, SIZE_MAX, {0, 0, 0, 0}};
    }
    {
        char *why = goes(removable, strip);
        /* "; hatched: 8004 bytes can be left out, strip saves 1928 bytes" */
        head = xasprintf("%s: %s%s%s", r->inputs[h].name, verdict_words(p),
                         *why ? "; hatched: " : "", *why ? why + 2 : "");
        free(why);
        if ((why = strstr(head, " of them can be left out")) != NULL) {
            memmove(why, why + 8, strlen(why + 8) + 1); /* " can be left out" */
        }
    }
    fprintf(out, "<g>\n<text x=\"6\" y=\"%.1f\" font-size=\"13\">", top + 18);
    rxml_put(out, head, false);
    fputs("</text>\n", out);
    free(head);
    gauges(out, r, h, p, top + HEADER + 4);
    squarify(dists, kept, (struct rect){0, top + HEADER + GAUGES, WIDTH, PANEL});
    for (size_t d = 0; d < kept; d++) {
        draw_dist(out, r, h, p, &dists[d], palette[d % (sizeof(palette) / sizeof(*palette))]);
    }
    legend(out, top + HEADER + GAUGES + PANEL);
    fputs("</g>\n", out);
    free(dists);
}

int report_treemap(FILE *out, const struct report *r, struct diag *d)
{
    size_t panels = 0;
    double top = 0, height;

    for (size_t i = 0; i < r->inputs_nr; i++) {
        panels += r->inputs[i].size != NULL;
    }
    height = panels ? (double)panels * PANEL_H : HEADER;
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
            WIDTH, height, WIDTH, height, r->tool_name, WIDTH, height);
    if (!panels) {
        fputs("<text x=\"6\" y=\"18\">no bundle was read</text>\n", out);
    }
    for (size_t i = 0; i < r->inputs_nr; i++) {
        if (r->inputs[i].size) {
            draw_panel(out, r, i, top);
            top += PANEL_H;
        }
    }
    fputs("</svg>\n", out);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the treemap") : 0;
}
