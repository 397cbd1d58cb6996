// PostgresMetadataStore beyond the contract suites: several stores (as several kura nodes) on
// one database, lost connections, integrity of inline bodies, keys with any bytes.
#include <gtest/gtest.h>

int placeholder_to_fill = 0;
