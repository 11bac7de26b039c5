/* The control page served at /: plain HTML and a few lines of script. */
#ifndef MOCKSERVER_PAGE_H
#define MOCKSERVER_PAGE_H

/* The whole page, NUL-terminated. */
extern const char mock_page_html[];

#endif
