/* CONTOSO_VERSION has the same layout for x86 callers and x64 code: no thunk is needed. */
