/** The magnet-style file link ({@code magnet:?xt=urn:parley:...}): builder, parser and its typed error. */
package org.parley.files.link;
