"Messy files that load (with a warning where rows are dropped), tested on the loader itself."
import warnings


from bert_tutorial.data import load_data, read_table

def test_gb18030_file_is_detected(tmp_path):
    p = tmp_path / "gbk.csv"; p.write_bytes("label,review\n1,很快，好吃\n0,太慢了\n".encode("gbk"))
    assert read_table(p, text_col="review").text.tolist() == ["很快，好吃", "太慢了"]

def test_utf8_bom_is_not_part_of_the_first_column(tmp_path):
    p = tmp_path / "bom.csv"; p.write_bytes("label,text\n1,a\n".encode("utf-8-sig"))
    assert read_table(p).label.tolist() == ["1"]

def test_tsv_with_a_csv_name(tmp_path):
    p = tmp_path / "really_tabs.csv"; p.write_text("label\ttext\n1\thello, world\n0\tbye\n")
    assert read_table(p).text.tolist() == ["hello, world", "bye"]

def load_warned(p)->tuple:
    "The loaded data and the messages of the warnings loading it gave."
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        df = load_data(p)
    return df, [str(x.message) for x in w]

def test_empty_texts_and_duplicates_are_dropped_with_a_count(tmp_path):
    p = tmp_path / "messy.csv"
    p.write_text("label,text\n1,good\n1,good\n0,bad\n1,\n0,meh\n1,meh\n0,awful\n")
    df, msgs = load_warned(p)
    assert "Dropped 1 rows with an empty text or a missing label." in msgs
    assert any("Dropped 3 duplicate rows (2 of them texts with conflicting labels)" in m for m in msgs)
    assert sorted(df.text) == ["awful", "bad", "good"]

def test_equal_numbers_are_one_label_and_missing_labels_are_dropped(tmp_path):
    p = tmp_path / "labels.csv"
    p.write_text("label,text\n1,good\n1.0,great\n0,bad\n0.0,awful\n,no label\nNaN,also none\n01,fine\n")
    df, msgs = load_warned(p)
    assert "Dropped 2 rows with an empty text or a missing label." in msgs
    assert sorted(df.label.unique()) == ["0", "1"] and len(df) == 5
