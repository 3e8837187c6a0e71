from report_reader.annotation_markdown import sanitize_markdown
from report_reader.render.html import paragraph_html, Span
from report_reader.typography import display, fold


def test_half_width_punctuation_shown_full_width_between_chinese():
    assert display("(三)夯实“五项保障”,协同发展;增长35%、20%:好!") == "（三）夯实“五项保障”，协同发展；增长35%、20%：好！"


def test_numbers_and_latin_keep_their_punctuation():
    assert display("1,000 and 3:30 (ok)") == "1,000 and 3:30 (ok)"


def test_maps_keep_length_so_offsets_hold():
    text = "(山东省)济南市,1+2+6+N“三公”İ①ﬁ"
    assert len(display(text)) == len(fold(text)) == len(text)


def test_paragraph_html_escapes_and_nests():
    html = paragraph_html("a<b>,甲乙", [Span(5, 7, "<x>", "</x>", 2), Span(4, 7, "<m>", "</m>", 1)])
    assert html == "a&lt;b&gt;<m>，<x>甲乙</x></m>"


def test_markdown_characters_in_report_words_stay_literal_in_headings():
    import markdown
    from report_reader.render.markup import md_text
    html = markdown.markdown("## " + md_text("1.*重点*项目_[甲](x)#") + " {#h}", extensions=["attr_list"])
    assert html == '<h2 id="h">1.*重点*项目_[甲](x)#</h2>'


def test_fold_is_the_same_through_the_bmp_list_and_the_dict():
    """fold() looks BMP text up in a list (typography._bmp_fold); it must agree with the dict that
    works a character out, for every BMP character, and text beyond the BMP still folds."""
    from report_reader import typography
    table = typography._bmp_fold()
    assert len(table) == 0x10000
    assert [c for c in range(0x10000) if table[c] != ord(typography._FOLD[c])] == []
    assert fold("“两重”ＡＢＣ１２３") == '"两重"abc123'
    assert fold("𝐀𝐁 汉字 ＡＢ") == "ab 汉字 ab"  # mathematical bold capitals: beyond the BMP
