/* Replaced by the module's sources. */
typedef int mockserver_placeholder;
