/** Sharing: a file on disk becomes a manifest and a piece source served from where the file lies. */
package org.parley.files.share;
