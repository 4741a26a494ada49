/*
 * Drawing QR codes: libqrencode makes the modules; this file turns them
 * into a PNG (libpng), an SVG, terminal half-blocks, or an A5 poster.
 */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "qr_internal.h"

#define DARK(qr, x, y) ((qr)->data[(y) * (qr)->width + (x)] & 1)

int dt__qr_encode(dt_ctx *ctx, const char *url, char level, QRcode **out)
{
	QRecLevel l;

	switch (level) {
	case 'L':
		l = QR_ECLEVEL_L;
		break;
	case 'M':
		l = QR_ECLEVEL_M;
		break;
	case 'Q':
		l = QR_ECLEVEL_Q;
		break;
	case 'H':
		l = QR_ECLEVEL_H;
		break;
	default:
		return dt__error(ctx, DT_EUSAGE, "error correction level '%c' is not L, M, Q or H", level);
	}
	*out = QRcode_encodeString(url, 0, l, QR_MODE_8, 1);
	if (!*out)
		return dt__error(ctx, DT_ERROR, "cannot encode '%s' as a QR code", url);
	return DT_OK;
}

int dt__qr_scale(dt_ctx *ctx, const QRcode *qr, int margin, int size, int *scale)
{
	int modules = qr->width + 2 * margin;

	if (size == 0) {
		*scale = 8;
		return DT_OK;
	}
	if (size < modules)
		return dt__error(ctx, DT_EUSAGE, "--size %d is too small: this code needs at least %d pixels", size,
		                 modules);
	*scale = size / modules;
	return DT_OK;
}

/*
 * A 1-bit greyscale PNG: the smallest and fastest to write, and what a
 * printer and a scanner want. libpng reports errors by longjmp.
 */
int dt__qr_write_png(const QRcode *qr, int margin, int scale, FILE *out)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int px = (qr->width + 2 * margin) * scale;
	size_t rowbytes = ((size_t)px + 7) / 8;
	unsigned char *volatile row = malloc(rowbytes);

	if (!png || !info || !row) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return DT_ENOMEM;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return DT_EIO;
	}
	png_init_io(png, out);
	/* two-colour blocks: filters gain nothing, and fast deflate is as small */
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_level(png, 1);
	png_set_IHDR(png, info, (png_uint_32)px, (png_uint_32)px, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	/* each module row is built once and written scale times */
	for (int my = -margin; my < qr->width + margin; my++) {
		memset(row, 0xff, rowbytes);
		if (my >= 0 && my < qr->width)
			for (int mx = 0; mx < qr->width; mx++) {
				if (!DARK(qr, mx, my))
					continue;
				for (int k = 0; k < scale; k++) {
					int x = (mx + margin) * scale + k;
					row[x / 8] &= (unsigned char)~(0x80u >> (x % 8));
				}
			}
		for (int k = 0; k < scale; k++)
			png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return DT_OK;
}

/* The dark modules as one SVG path of horizontal runs, in module units. */
static void svg_path(const QRcode *qr, int margin, FILE *out)
{
	fputs("<path fill=\"#000\" d=\"", out);
	for (int y = 0; y < qr->width; y++) {
		for (int x = 0; x < qr->width;) {
			int run = 0;

			while (x + run < qr->width && DARK(qr, x + run, y))
				run++;
			if (run) {
				fprintf(out, "M%d %dh%dv1h-%dz", x + margin, y + margin, run, run);
				x += run;
			} else {
				x++;
			}
		}
	}
	fputs("\"/>\n", out);
}

int dt__qr_write_svg(const QRcode *qr, int margin, int scale, FILE *out)
{
	int modules = qr->width + 2 * margin;

	fprintf(out,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
	        " shape-rendering=\"crispEdges\">\n"
	        "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
	        modules * scale, modules * scale, modules, modules, modules, modules);
	svg_path(qr, margin, out);
	fputs("</svg>\n", out);
	return ferror(out) ? DT_EIO : DT_OK;
}

/* Text for SVG: &, <, > and quotes escaped. */
static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\n':
		case '\r':
		case '\t':
			fputc(' ', out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static void poster_line(FILE *out, double y, double size, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(out, "<text x=\"74\" y=\"%.1f\" font-size=\"%.1f\">", y, size);
	if (label) {
		xml_text(out, label);
		fputs("：", out);
	}
	xml_text(out, value);
	fputs("</text>\n", out);
}

/*
 * A5 (148 x 210 mm), units in millimetres: the slogan, the code 84 mm wide
 * with its quiet zone, then the deputy's name, post and where to find them.
 * The phone is printed in clear: the poster is published on purpose.
 */
int dt__qr_write_poster(const QRcode *qr, const dt_qr_poster *p, FILE *out)
{
	int modules = qr->width + 8;
	double side = 84.0, x0 = (148.0 - side) / 2, y0 = 40.0;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"148mm\" height=\"210mm\" viewBox=\"0 0 148 210\">\n"
	      "<rect width=\"148\" height=\"210\" fill=\"#fff\"/>\n"
	      "<rect x=\"5\" y=\"5\" width=\"138\" height=\"200\" fill=\"none\" stroke=\"#b71c1c\" stroke-width=\"1.2\"/>\n"
	      "<g font-family=\"'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei',"
	      " 'PingFang SC', sans-serif\" text-anchor=\"middle\" fill=\"#222\">\n"
	      "<text x=\"74\" y=\"22\" font-size=\"10\" font-weight=\"bold\" fill=\"#b71c1c\">人大代表联系码</text>\n"
	      "<text x=\"74\" y=\"33\" font-size=\"7\" fill=\"#b71c1c\">扫码见代表，有事马上办</text>\n",
	      out);
	fprintf(out, "<g transform=\"translate(%.2f %.2f) scale(%.5f)\" shape-rendering=\"crispEdges\">\n", x0, y0,
	        side / modules);
	fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", modules, modules);
	svg_path(qr, 4, out);
	fputs("</g>\n", out);
	poster_line(out, 140, 11, NULL, p->name);
	poster_line(out, 150, 5.5, NULL, p->post);
	poster_line(out, 160, 5, "代表团", p->delegation);
	poster_line(out, 168, 5, "负责网格", p->grid);
	poster_line(out, 176, 5, "联络站", p->station);
	poster_line(out, 184, 5, "联系电话", p->phone);
	fprintf(out, "<text x=\"74\" y=\"198\" font-size=\"4\" fill=\"#777\">代表编号 ");
	xml_text(out, p->code);
	fputs("</text>\n</g>\n</svg>\n", out);
	return ferror(out) ? DT_EIO : DT_OK;
}

/*
 * Two module rows per line of text with half blocks. Light modules are drawn
 * (for a dark terminal), so the code shows dark on light as scanners expect.
 */
int dt__qr_draw_utf8(const QRcode *qr, int margin, dt_sink_fn sink, void *userdata)
{
	int modules = qr->width + 2 * margin;
	size_t cap = (size_t)modules * 3 + 2;
	char *line = malloc(cap);
	int rc = DT_OK;

	if (!line)
		return DT_ENOMEM;
	for (int y = 0; y < modules && rc == DT_OK; y += 2) {
		size_t n = 0;

		for (int x = 0; x < modules; x++) {
			int mx = x - margin, top = y - margin, bottom = y + 1 - margin;
			int light_top = mx < 0 || mx >= qr->width || top < 0 || top >= qr->width || !DARK(qr, mx, top);
			int light_bottom = y + 1 >= modules ? 0
			                   : (mx < 0 || mx >= qr->width || bottom < 0 || bottom >= qr->width ||
			                      !DARK(qr, mx, bottom));
			const char *c = light_top ? (light_bottom ? "\xe2\x96\x88" : "\xe2\x96\x80")
			                          : (light_bottom ? "\xe2\x96\x84" : " ");
			size_t k = strlen(c);

			memcpy(line + n, c, k);
			n += k;
		}
		line[n++] = '\n';
		if (sink(userdata, line, n) != 0)
			rc = DT_EIO;
	}
	free(line);
	return rc;
}
