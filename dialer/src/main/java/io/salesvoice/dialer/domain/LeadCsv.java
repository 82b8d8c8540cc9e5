package io.salesvoice.dialer.domain;

import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.schema.dialer.Lead;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a campaign's lead list (RFC 4180 CSV, UTF-8): a header row with {@code name, phone, timezone, language} in any
 * order, then any custom columns. Each bad row is reported with its row number (the header is row 1) and the reason,
 * and left out; good rows become leads; rows repeating a phone number already read are collapsed into the first.
 */
public final class LeadCsv {

  public static final List<String> REQUIRED_COLUMNS = List.of("name", "phone", "timezone", "language");
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
  private static final int MAX_FIELD = 1000;

  /** A row left out, and why. */
  public record RowError(int row, String reason) {
  }

  /**
   * What an upload yields.
   *
   * @param duplicateRows rows whose phone number an earlier row already had
   */
  public record Result(List<Lead> leads, List<RowError> rejected, List<Integer> duplicateRows) {
  }

  /** The whole file is refused: no header, a required column missing, or more rows than allowed. */
  public static final class Refused extends RuntimeException {
    private final boolean tooLarge;

    Refused(String message, boolean tooLarge) {
      super(message);
      this.tooLarge = tooLarge;
    }

    public boolean tooLarge() {
      return tooLarge;
    }
  }

  private LeadCsv() {
  }

  public static Result parse(byte[] csv, String campaignId, String defaultLanguage, Instant now, int maxRows) {
    String text = decode(csv);
    List<List<String>> records = new ArrayList<>();
    List<Integer> rowNumbers = new ArrayList<>();
    split(text, records, rowNumbers, maxRows);
    if (records.isEmpty()) {
      throw new Refused("the CSV is empty: it needs a header row with " + String.join(", ", REQUIRED_COLUMNS), false);
    }
    List<String> header = records.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
    Map<String, Integer> columns = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      if (h.isEmpty()) {
        throw new Refused("header column " + (i + 1) + " has no name", false);
      }
      if (columns.putIfAbsent(h, i) != null) {
        throw new Refused("header column '" + h + "' appears twice", false);
      }
    }
    List<String> missing = REQUIRED_COLUMNS.stream().filter(c -> !columns.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new Refused("the header row lacks the column(s) " + String.join(", ", missing)
          + "; it needs " + String.join(", ", REQUIRED_COLUMNS) + ", then any custom columns", false);
    }

    List<Lead> leads = new ArrayList<>();
    List<RowError> rejected = new ArrayList<>();
    List<Integer> duplicates = new ArrayList<>();
    Map<String, Integer> seenPhones = new HashMap<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> fields = records.get(r);
      int row = rowNumbers.get(r);
      if (fields.size() == 1 && fields.get(0).isBlank()) {
        continue;   // a blank line
      }
      if (fields.size() != header.size()) {
        rejected.add(new RowError(row, "expected " + header.size() + " fields, found " + fields.size()));
        continue;
      }
      String name = fields.get(columns.get("name")).trim();
      String rawPhone = fields.get(columns.get("phone"));
      String zone = fields.get(columns.get("timezone")).trim();
      String language = fields.get(columns.get("language")).trim();
      String tooLong = firstTooLong(header, fields);
      var phone = PhoneNumbers.e164(rawPhone);
      if (tooLong != null) {
        rejected.add(new RowError(row, "field '" + tooLong + "' is longer than " + MAX_FIELD + " characters"));
      } else if (name.isEmpty()) {
        rejected.add(new RowError(row, "name is empty"));
      } else if (phone.isEmpty()) {
        rejected.add(new RowError(row, rawPhone.isBlank() ? "phone is empty"
            : "phone '" + Redaction.maskPhone(rawPhone.trim()) + "' is not an E.164 number like +14155550123"));
      } else if (!ZONES.contains(zone)) {
        rejected.add(new RowError(row, zone.isEmpty() ? "timezone is empty"
            : "timezone '" + zone + "' is not a known IANA zone like Europe/Moscow"));
      } else if (!language.isEmpty() && !LANGUAGE.matcher(language).matches()) {
        rejected.add(new RowError(row, "language '" + language + "' is not a BCP 47 tag like ru-RU"));
      } else {
        Integer first = seenPhones.putIfAbsent(phone.get(), row);
        if (first != null) {
          duplicates.add(row);
          continue;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          if (!REQUIRED_COLUMNS.contains(header.get(i))) {
            parameters.put(header.get(i), fields.get(i).trim());
          }
        }
        parameters.put("name", name);
        leads.add(Lead.newBuilder()
            .setCampaignId(campaignId)
            .setLeadId(DialPlan.leadId(campaignId, phone.get()))
            .setPhoneNumber(phone.get())
            .setTimezone(zone)
            .setLanguage(language.isEmpty() ? defaultLanguage : language)
            .setParameters(parameters)
            .setImportedAt(now)
            .build());
      }
    }
    return new Result(leads, rejected, duplicates);
  }

  private static String firstTooLong(List<String> header, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).length() > MAX_FIELD) {
        return header.get(i);
      }
    }
    return null;
  }

  private static String decode(byte[] csv) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(csv)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new Refused("the CSV is not UTF-8 text", false);
    }
  }

  /** RFC 4180: quoted fields may hold commas, line breaks and doubled quotes; rows end with LF or CRLF. */
  private static void split(String text, List<List<String>> records, List<Integer> rowNumbers, int maxRows) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int row = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      any = true;
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        fields.add(field.toString());
        field.setLength(0);
        add(records, rowNumbers, fields, row++, maxRows);
        fields = new ArrayList<>();
        any = false;
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new Refused("row " + row + " opens a quoted field that never closes", false);
    }
    if (any) {
      fields.add(field.toString());
      add(records, rowNumbers, fields, row, maxRows);
    }
  }

  private static void add(List<List<String>> records, List<Integer> rowNumbers, List<String> fields, int row,
                          int maxRows) {
    if (records.size() > maxRows) {
      throw new Refused("the CSV has more than " + maxRows + " lead rows; split it into several uploads", true);
    }
    records.add(fields);
    rowNumbers.add(row);
  }
}
