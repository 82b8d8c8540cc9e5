package io.salesvoice.dialog.knowledge;

import io.salesvoice.dialog.nlu.Language;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * The FAQ of every campaign in one in-memory Lucene index: each {@code ##} section is a document, searched with the
 * language's stemming analyzer over the question (boosted) and the answer. Built once at start-up; searches are
 * thread-safe and take well under a millisecond on FAQ-sized corpora.
 */
public final class LuceneKnowledgeBase implements KnowledgeBase {

  private static final Pattern SECTION = Pattern.compile("(?m)^##\\s+");
  private static final int MAX_SENTENCES = 2;

  private final Analyzer analyzer;
  private final IndexSearcher searcher;
  private final float minScore;

  private LuceneKnowledgeBase(Analyzer analyzer, IndexSearcher searcher, float minScore) {
    this.analyzer = analyzer;
    this.searcher = searcher;
    this.minScore = minScore;
  }

  /** Indexes the documents; answers scoring below {@code minScore} count as "not in the knowledge base". */
  public static LuceneKnowledgeBase build(List<KnowledgeDocument> documents, float minScore) {
    Analyzer analyzer = new PerFieldAnalyzerWrapper(new StandardAnalyzer(), Map.of(
        "q_ru", russian(), "a_ru", russian(), "q_en", english(), "a_en", english()));
    Directory directory = new ByteBuffersDirectory();
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
      for (KnowledgeDocument d : documents) {
        String lang = suffix(d.language());
        for (String section : SECTION.split(d.markdown())) {
          int newline = section.indexOf('\n');
          if (newline < 0 || section.startsWith("#")) {
            continue;   // the text before the first "##", e.g. the file's title
          }
          String question = section.substring(0, newline).trim();
          String answer = plain(section.substring(newline + 1));
          if (answer.isEmpty()) {
            continue;
          }
          Document doc = new Document();
          doc.add(new StringField("base", d.base(), Field.Store.NO));
          doc.add(new StringField("lang", lang, Field.Store.NO));
          doc.add(new TextField("q_" + lang, question, Field.Store.NO));
          doc.add(new TextField("a_" + lang, answer, Field.Store.NO));
          doc.add(new StoredField("answer", answer));
          doc.add(new StoredField("source", d.path() + "#" + question));
          writer.addDocument(doc);
        }
      }
      writer.commit();
      return new LuceneKnowledgeBase(analyzer, new IndexSearcher(DirectoryReader.open(directory)), minScore);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the knowledge base index", e);
    }
  }

  @Override
  public Optional<KnowledgeAnswer> answer(String base, Language language, String question) {
    if (question == null || question.isBlank()) {
      return Optional.empty();
    }
    String lang = suffix(language);
    try {
      MultiFieldQueryParser parser = new MultiFieldQueryParser(new String[] {"q_" + lang, "a_" + lang}, analyzer,
          Map.of("q_" + lang, 2f, "a_" + lang, 1f));
      Query text = parser.parse(QueryParser.escape(question));
      Query query = new BooleanQuery.Builder()
          .add(text, BooleanClause.Occur.MUST)
          .add(new TermQuery(new Term("base", base)), BooleanClause.Occur.FILTER)
          .add(new TermQuery(new Term("lang", lang)), BooleanClause.Occur.FILTER)
          .build();
      TopDocs top = searcher.search(query, 1);
      if (top.scoreDocs.length == 0 || top.scoreDocs[0].score < minScore) {
        return Optional.empty();
      }
      ScoreDoc best = top.scoreDocs[0];
      Document doc = searcher.storedFields().document(best.doc);
      return Optional.of(new KnowledgeAnswer(doc.get("answer"), doc.get("source"), best.score));
    } catch (ParseException e) {
      return Optional.empty();   // nothing searchable left, e.g. only stop words
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Question and filler words match every FAQ entry, so they must not make one relevant. */
  private static Analyzer english() {
    CharArraySet stop = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    stop.addAll(List.of("what", "what's", "whats", "how", "does", "do", "did", "you", "your", "yours", "can", "could",
        "which", "where", "when", "why", "who", "would", "should", "i", "me", "my", "we", "our", "us", "have", "has",
        "about", "like", "tell", "please", "so", "well", "ok", "okay", "hi", "hello", "any", "also", "much", "many",
        "there", "get", "know", "want", "need", "it's", "its", "am", "been"));
    return new EnglishAnalyzer(stop);
  }

  private static Analyzer russian() {
    CharArraySet stop = new CharArraySet(RussianAnalyzer.getDefaultStopSet(), true);
    stop.addAll(List.of("скажите", "подскажите", "расскажите", "какой", "какая", "какие", "каких", "каким", "сколько",
        "вообще", "ваш", "ваша", "ваше", "ваши", "вашей", "вашего", "можно", "есть", "это", "этот", "эта", "ну", "а",
        "у", "вас", "нас", "мне", "нам", "пожалуйста", "хорошо", "ладно", "интересно", "понятно"));
    return new RussianAnalyzer(stop);
  }

  private static String suffix(Language language) {
    return language == Language.RU ? "ru" : "en";
  }

  /** The answer as it is said: no Markdown marks, at most two sentences. */
  private static String plain(String markdown) {
    String text = markdown.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1")
        .replaceAll("[*_`>#]", "")
        .replaceAll("(?m)^\\s*[-+]\\s+", "")
        .replaceAll("\\s+", " ")
        .trim();
    List<String> sentences = new ArrayList<>();
    for (String s : text.split("(?<=[.!?])\\s+")) {
      if (sentences.size() == MAX_SENTENCES) {
        break;
      }
      sentences.add(s);
    }
    return String.join(" ", sentences);
  }
}
