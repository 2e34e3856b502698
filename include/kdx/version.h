/* version.h - kdx's version, printed by --version and written into every snapshot. */
#ifndef KDX_VERSION_H
#define KDX_VERSION_H

#define KDX_VERSION "0.1.0"

#endif
