/* Replaced by the module's sources. */
typedef int tui_placeholder;
