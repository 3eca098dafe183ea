#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
// Foundation on Linux carries its own ICU; libxml2's ICU headers would clash with it.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>

/// Frees memory that libxml2 allocated. Wraps the `xmlFree` function pointer.
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
