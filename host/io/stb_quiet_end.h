/* Included right after an stb header: see stb_quiet_begin.h. */
#if defined(__GNUC__)
#pragma GCC diagnostic pop
/* stb declares static functions it does not define when parts are left
 * out; GCC reports those at the end of the file, outside push/pop. */
#pragma GCC diagnostic ignored "-Wunused-function"
#endif
