def test_the_two_session_towns_exist(towns, db):
    assert set(towns) == {"ville-a", "ville-b"}
