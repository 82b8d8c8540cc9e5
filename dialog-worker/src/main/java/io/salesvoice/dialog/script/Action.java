package io.salesvoice.dialog.script;

/** What the call does after the agent's words are spoken. */
public enum Action { SPEAK, TRANSFER, HANG_UP }
