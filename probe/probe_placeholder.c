/* Replaced by the module's sources. */
typedef int probe_placeholder;
