from bot.text import FuzzyIndex, fold, osa_distance


def test_fold_spells_out_umlauts_and_drops_punctuation():
    assert fold("Überlingen") == fold("UEBERLINGEN") == fold("Ueberlingen") == "ueberlingen"
    assert fold("Schwäb. Gmünd") == "schwaeb gmuend"
    assert fold("Straße") == "strasse"


def test_osa_distance_counts_transpositions_as_one_edit():
    assert osa_distance("stuttgart", "stutgart") == 1
    assert osa_distance("stuttgart", "stuttagrt") == 1
    assert osa_distance("ulm", "berlin") == 3  # capped at limit + 1


def test_fuzzy_index_finds_words_within_the_allowed_distance():
    index = FuzzyIndex(["stuttgart", "fellbach", "ulm"])
    assert index.lookup("stutgart") == {"stuttgart": 1}
    assert index.lookup("ulmm") == {}  # short words must match exactly


def test_german_word_frequencies_match_the_wordfreq_package():
    """Our reader of wordfreq's packaged list gives the package's own figures (incl. unknown words)."""
    from wordfreq import zipf_frequency

    from bot.wordfreq_de import zipf

    for word in ("falsch", "malsch", "Fellbach", "stuttgart", "stutgart", "straße", "hund", "xqzvw"):
        assert zipf(word) == zipf_frequency(word, "de"), word


def test_hyphenated_compounds_stay_one_token() -> None:
    from bot.text import tokens_with_compounds

    assert tokens_with_compounds("Einen neuen Reise-Pass, bitte. E-Mail?") == ["einen", "neuen", "reise-pass", "bitte", "e", "mail"]
    assert tokens_with_compounds("Kfz-Zulassungs-Stelle in Neu-Ulm") == ["kfz-zulassungs-stelle", "in", "neu-ulm"]
