"""The rules of Terang. No flask.request or session in here: the actor and `now` are arguments."""
