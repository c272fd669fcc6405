"""Finding people and seeing the network: the expert finder, recommendations and the PLN map."""
