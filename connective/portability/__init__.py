"""Taking the network away: export, import, account migration and deletion."""
