print("cass2dynamo")
