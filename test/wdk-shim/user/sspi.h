/* sspi.h for the native run of http.h: what http.h needs is in winsock2.h here. */
