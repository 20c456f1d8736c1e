/**
 * The JSON bodies of the node's HTTP API as records, shared by the routes (which write answers and
 * read requests) and the CLI (which sends requests and reads answers), so neither repeats field
 * names. Their JSON field names are a contract with scripts: change them only with the README.
 */
package org.parley.node.api.dto;
