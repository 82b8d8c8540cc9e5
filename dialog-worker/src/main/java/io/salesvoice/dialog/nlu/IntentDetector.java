package io.salesvoice.dialog.nlu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rule-based intent detection for Russian and English sales calls. Rules are tried in priority order: a request to
 * stop calling beats everything, a question about price beats the "да" in front of it, "no problem" is a yes.
 */
public final class IntentDetector {

  private record Rule(Intent intent, Pattern pattern) {
  }

  private static final int FLAGS = Pattern.UNICODE_CASE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS;

  private static final Map<Language, List<Rule>> RULES = Map.of(
      Language.RU, List.of(
          rule(Intent.STOP_CALLING, "\\bне\\s+(звоните|звони|звонить|надо\\s+(мне\\s+)?(больше\\s+)?звонить)(?!\\s+(сейчас|пока))"
              + "|больше\\s+не\\s+(звоните|звонить|беспокойте)|(прекратите|хватит|перестаньте)\\s+(мне\\s+)?(звонить|названивать)"
              + "|удалите\\s+(мой\\s+)?(номер|меня)|(уберите|вычеркните|исключите)\\s+(мой\\s+номер|меня)|не\\s+беспокойте"
              + "|внесите\\s+(меня\\s+)?в\\s+(черный|стоп)"),
          rule(Intent.ROBOT_CHECK, "\\b(вы|ты|это)\\s+(что\\s+)?(робот|бот|автоответчик|машина|нейросеть|живой(\\s+человек)?|человек)\\b"
              + "|\\bс\\s+роботом|\\bробот\\s*\\?|\\bя\\s+говорю\\s+с\\s+(роботом|человеком|машиной)"
              + "|\\b(искусственный\\s+интеллект|голосовой\\s+помощник)\\b"),
          rule(Intent.WHO_ARE_YOU, "\\bкто\\s+(вы|это|говорит|звонит)\\b|\\bоткуда\\s+(вы\\s+)?звоните|\\bиз\\s+какой\\s+(компании|организации|фирмы)"
              + "|\\bчто\\s+за\\s+(компания|организация|фирма)|\\bпо\\s+какому\\s+(вопросу|поводу)|\\bвы\\s+кто\\b|\\bс\\s+кем\\s+я\\s+говорю"),
          rule(Intent.TRANSFER_REQUEST, "\\b(соедините|переключите|позовите|дайте|переведите)\\b.*\\b(менеджер|оператор|человек|специалист|сотрудник|руководител)"
              + "|\\b(поговорить|общаться|говорить)\\s+с\\s+(живым|человеком|менеджером|оператором|специалистом)"),
          rule(Intent.REPEAT, "\\bповторите|\\bне\\s+расслышал|\\bне\\s+понял(а)?\\s+(вас|что)|\\bчто\\s+вы\\s+сказали|\\bеще\\s+раз\\s+(можно|повторите)?\\s*$|\\bплохо\\s+слышно"),
          rule(Intent.CALL_LATER, "\\bперезвон|\\bпозвоните\\s+(мне\\s+)?(позже|потом|попозже|завтра|через|в\\s|на\\s|вечером|утром|послезавтра)"
              + "|\\b(позже|попозже)\\b|\\bв\\s+другой\\s+раз|\\bне\\s+сейчас|\\bдавайте\\s+потом|\\bнаберите\\s+(мне\\s+)?(позже|потом|завтра)"
              + "|\\bв\\s+другое\\s+время|\\bсвяжитесь\\s+(со\\s+мной\\s+)?(позже|завтра|потом)"),
          rule(Intent.BUSY, "\\bзанят|\\bна\\s+(совещании|встрече|работе|переговорах)|\\bза\\s+рулем|\\bне\\s*удобно|\\bне\\s+могу\\s+(сейчас\\s+)?(говорить|разговаривать)"
              + "|\\bнет\\s+времени|\\bнекогда|\\bне\\s+до\\s+этого|\\bсовсем\\s+не\\s+вовремя"),
          rule(Intent.NOT_INTERESTED, "\\bне\\s*интерес|\\bне\\s+надо|\\bне\\s+нужн|\\bне\\s+нуждаемся|\\bуже\\s+(есть|пользуемся|работаем)"
              + "|\\bне\\s+актуальн|\\bоткаж|\\bне\\s+хочу|\\bобойдемся|\\bне\\s+заинтересован|\\bнам\\s+это\\s+ни\\s+к\\s+чему"),
          rule(Intent.PRICE, "\\bсколько\\s+(это\\s+|оно\\s+|у\\s+вас\\s+)?(стоит|будет\\s+стоить|стоят)|\\bцен[аыеу]|\\bстоимост|\\bпрайс|\\bтариф"
              + "|\\bпо\\s+деньгам|\\bво\\s+сколько\\s+(это\\s+)?обойдет|\\bдорого"),
          rule(Intent.MAYBE, "\\bможет\\s+быть|\\bнаверное|\\bвозможно|\\bне\\s+знаю|\\bподумаю|\\bпосмотрим|\\bне\\s+уверен|\\bпожалуй|\\bв\\s+принципе"),
          rule(Intent.NO, "^\\s*(нет|неа|не|ни\\s+в\\s+коем\\s+случае|нисколько)\\b|\\bне\\s+(согласен|стоит|хотелось\\s+бы)|\\bнет\\s*$"),
          rule(Intent.YES, "\\b(да|ага|угу|конечно|давайте|давай|хорошо|ладно|удобно|можно|согласен|согласна|окей|ок|верно|"
              + "слушаю|говорите|естественно|разумеется|безусловно|отлично|подходит|устраивает|интересно|записывайте|пойдет)\\b")),
      Language.EN, List.of(
          rule(Intent.STOP_CALLING, "\\b(don'?t|do\\s+not|never)\\s+call\\s+(me\\s+)?(again|anymore|any\\s+more|ever|this\\s+number)"
              + "|\\bstop\\s+(calling|contacting|bothering)|\\bremove\\s+(me|my\\s+number)|\\btake\\s+me\\s+off"
              + "|\\bdo\\s+not\\s+call\\s+list|\\bdon'?t\\s+(ever\\s+)?(contact|bother)\\s+me|\\b(put|add)\\s+me\\s+on\\s+(your|the)\\s+do\\s+not"
              + "|\\blose\\s+my\\s+number"),
          rule(Intent.ROBOT_CHECK, "\\b(are|r)\\s+(you|u)\\s+(a\\s+|an\\s+)?(robot|bot|machine|human|real\\s+person|real|person|ai|computer|recording)\\b"
              + "|\\b(am\\s+i\\s+)?(talking|speaking)\\s+to\\s+(a\\s+)?(robot|machine|bot|person|human|computer)"
              + "|\\bis\\s+this\\s+(a\\s+)?(robot|recording|bot|machine|automated)"),
          rule(Intent.WHO_ARE_YOU, "\\bwho\\s+(is\\s+this|are\\s+you|is\\s+calling|'?s\\s+calling|is\\s+speaking)"
              + "|\\bwhat\\s+company|\\bwhere\\s+are\\s+you\\s+calling\\s+from|\\bwhat(\\s+is|'?s)\\s+this\\s+(about|regarding)"
              + "|\\bwho'?s\\s+this|\\bwhat\\s+is\\s+this\\s+call"),
          rule(Intent.TRANSFER_REQUEST, "\\b(talk|speak)\\s+(to|with)\\s+(a\\s+|an\\s+|your\\s+)?(human|person|manager|agent|someone|representative|real|operator|supervisor)"
              + "|\\b(transfer|connect|put)\\s+me\\s+(through|to|with)|\\boperator\\b"),
          rule(Intent.REPEAT, "\\brepeat\\s+(that|it|please)?|\\bsay\\s+(that|it)\\s+again|\\bpardon|\\bcome\\s+again|\\bdidn'?t\\s+(catch|hear|get)\\s+(that|you)"
              + "|\\bwhat\\s+did\\s+you\\s+say|^\\s*sorry\\s*$|^\\s*what\\s*$"),
          rule(Intent.CALL_LATER, "\\bcall\\s+(me\\s+)?(back|later|again|tomorrow|next|on|at|in)\\b|\\blater\\b|\\banother\\s+time|\\bnot\\s+(right\\s+)?now"
              + "|\\bsome\\s+other\\s+time|\\btry\\s+(me\\s+)?(again|later|tomorrow)|\\breach\\s+me\\s+(later|tomorrow)"),
          rule(Intent.BUSY, "\\bbusy\\b|\\bin\\s+a\\s+meeting|\\bdriving|\\bcan'?t\\s+(talk|speak)|\\bbad\\s+time|\\bno\\s+time|\\bnot\\s+a\\s+good\\s+time"
              + "|\\bin\\s+the\\s+middle\\s+of|\\bat\\s+work\\s+right\\s+now"),
          rule(Intent.NOT_INTERESTED, "\\bnot\\s+interested|\\bno\\s+interest|\\b(don'?t|do\\s+not)\\s+(need|want)|\\bwe\\s+(already\\s+)?have\\s+(one|a\\s+|something|that)"
              + "|\\balready\\s+(use|using|have)|\\bnot\\s+for\\s+us|\\bno\\s+thanks|\\bno\\s+thank\\s+you|\\bnot\\s+looking"
              + "|\\bwe'?re\\s+(good|fine|all\\s+set)|\\bpass\\b"),
          rule(Intent.PRICE, "\\bhow\\s+much|\\bprice|\\bpricing|\\bcosts?\\b|\\bexpensive|\\bplans\\b|\\bfees?\\b|\\bsubscription"),
          rule(Intent.MAYBE, "\\bmaybe|\\bperhaps|\\bnot\\s+sure|\\bi\\s+guess|\\bpossibly|\\blet\\s+me\\s+think|\\bmight\\b|\\bi\\s+don'?t\\s+know|\\bkind\\s+of"),
          rule(Intent.YES, "\\bno\\s+problem|\\bnot\\s+a\\s+problem|\\bwhy\\s+not|\\bof\\s+course"),
          rule(Intent.NO, "^\\s*(no|nope|nah|negative)\\b|\\bnot\\s+really|\\bi\\s+don'?t\\s+think\\s+so|\\bno\\s+way|\\bnot\\s+at\\s+all"),
          rule(Intent.YES, "\\b(yes|yeah|yep|yup|sure|ok|okay|go\\s+ahead|sounds\\s+good|fine|absolutely|alright|all\\s+right|"
              + "definitely|certainly|great|perfect|i'?m\\s+listening|let'?s\\s+do\\s+it|interested|works\\s+for\\s+me|go\\s+on)\\b")));

  private static Rule rule(Intent intent, String regex) {
    return new Rule(intent, Pattern.compile(regex, FLAGS));
  }

  /** The highest-priority intent in the utterance; {@link Intent#QUESTION} for other questions; UNKNOWN otherwise. */
  public Intent detect(String utterance, Language language) {
    List<Intent> all = detectAll(utterance, language);
    return all.isEmpty() ? Intent.UNKNOWN : all.get(0);
  }

  /** Every intent the utterance matches, highest priority first. */
  public List<Intent> detectAll(String utterance, Language language) {
    String n = Text.normalize(utterance);
    List<Intent> found = new ArrayList<>();
    if (n.isEmpty()) {
      return found;
    }
    boolean question = Text.isQuestion(utterance, language);
    for (Rule r : RULES.get(language)) {
      if (!found.contains(r.intent) && r.pattern.matcher(n).find()) {
        if (question && !found.contains(Intent.QUESTION) && r.intent.ordinal() > Intent.QUESTION.ordinal()) {
          found.add(Intent.QUESTION);
        }
        found.add(r.intent);
      }
    }
    if (question && !found.contains(Intent.QUESTION)) {
      int at = 0;
      while (at < found.size() && found.get(at).ordinal() < Intent.QUESTION.ordinal()) {
        at++;
      }
      found.add(at, Intent.QUESTION);
    }
    return found;
  }
}
